"""What the project's NLU components share: their settings, and the model storage that the
trainable ones persist into."""

import json
from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


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


class JsonStoredComponent(ConfiguredComponent):
    """A trainable component whose learned state is one JSON document in the model storage:
    `train` ends with `store(state)`, and `restore(state)` sets it up, after training and on
    load."""

    state_file = "state.json"

    def store(self, state: Dict[Text, Any]) -> Resource:
        with self._model_storage.write_to(self._resource) as directory:
            (directory / self.state_file).write_text(json.dumps(state))
        self.restore(state)
        return self._resource

    def restore(self, state: Dict[Text, Any]) -> None:
        raise NotImplementedError

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "JsonStoredComponent":
        with model_storage.read_from(resource) as directory:
            state = json.loads((directory / cls.state_file).read_text())
        component = cls(config, model_storage, resource)
        component.restore(state)
        return component
