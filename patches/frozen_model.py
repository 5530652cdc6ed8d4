"""Keep the loaded model out of Python's full garbage collections.

Once the model is loaded, the Rasa server holds about 600,000 objects that Python's garbage
collector tracks (TensorFlow's graphs, the modules, the model itself), and none of them ever
becomes garbage. CPython's full collection walks every one of them: about 300 ms, and under
load it ran every two seconds or so (gc.callbacks, 10 conversations back to back: 5 full
collections in 10 s), stopping every conversation the process serves while it runs (issue 9).

`gc.freeze()` moves every object that exists at that moment into a permanent generation that
collections skip; the Python documentation recommends it for objects that live as long as
the process. It is called once per loaded model, just before the model handles its first
message, so everything loading created is frozen, whichever way Rasa was started (`rasa run`,
`rasa shell`, make run) and after a model is replaced through the HTTP API. It costs no time:
nothing is walked. What is created later, conversations included, is collected as before.

A replaced model's objects were frozen with it and would never be collected: before freezing
the new model, they are given back to the collector and one full collection runs (about
300 ms, once per replacement).
"""

import gc
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor

_rasa_handle_message = MessageProcessor.handle_message

# Set on a MessageProcessor (one per loaded model) once its objects are frozen.
_FROZEN = "_loaded_objects_frozen"


async def handle_message(self: MessageProcessor, message: UserMessage) -> Any:
    """`MessageProcessor.handle_message`, after freezing what loading this model created."""
    if not getattr(self, _FROZEN, False):
        if gc.get_freeze_count():  # an earlier model's objects, and whatever it left
            gc.unfreeze()
            gc.collect()
        gc.freeze()
        setattr(self, _FROZEN, True)
    return await _rasa_handle_message(self, message)


def apply() -> None:
    MessageProcessor.handle_message = handle_message
