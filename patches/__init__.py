"""Small, documented changes to Rasa 3.6 behaviour, applied at import without editing Rasa.

Each module changes one thing, names the upstream code it replaces, and has a test. They are
imported from components/__init__.py, because every Rasa process that loads this project's
model (`rasa run`, `rasa shell`, `rasa test`, make run) imports the components package first.
"""
