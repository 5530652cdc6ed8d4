"""What the project's NLU components share: their settings, and the model storage that the
trainable ones persist into."""

import hashlib
import json
from pathlib import Path
from typing import Any, Dict, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


def _code_fingerprint() -> Text:
    """A hash of the components' source code."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


class ConfiguredComponent(GraphComponent):
    """A component whose defaults are merged with its config; `train` and `load` may use the
    model storage and resource it was created with."""

    def __init__(
        self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ConfiguredComponent":
        return cls(config, model_storage, resource)


class StoredComponent(ConfiguredComponent):
    """A trainable component whose learned state lives in its directory of the model storage:
    `load` creates it and hands it that directory (`read`)."""

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        # Rasa's training cache knows the config and the data, not this project's code: an
        # edit to how a component learns must retrain it (they all train in seconds).
        return _code_fingerprint()

    def read(self, directory: Path) -> None:
        raise NotImplementedError

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "StoredComponent":
        component = cls(config, model_storage, resource)
        with model_storage.read_from(resource) as directory:
            component.read(directory)
        return component


class JsonStoredComponent(StoredComponent):
    """A trainable component whose learned state is one JSON document: `train` ends with
    `store(state)`, and `restore(state)` sets it up, after training and on load."""

    state_file = "state.json"

    def store(self, state: Dict[Text, Any]) -> Resource:
        with self._model_storage.write_to(self._resource) as directory:
            (directory / self.state_file).write_text(json.dumps(state))
        self.restore(state)
        return self._resource

    def restore(self, state: Dict[Text, Any]) -> None:
        raise NotImplementedError

    def read(self, directory: Path) -> None:
        self.restore(json.loads((directory / self.state_file).read_text()))
