"""The project's NLU components (README, How it is built).

Importing this package also applies the project's small fixes to Rasa (patches/): every Rasa
process that loads this project's model imports it first.
"""

from patches import action_call_events, action_response_validation, frozen_model

action_response_validation.apply()
action_call_events.apply()
frozen_model.apply()
