"""DIET and TED as Rasa ships them, with a cheaper call into their TensorFlow graph when predicting.

Rasa runs each prediction through a `tf.function` with an input signature. On every call
TensorFlow works out the type of each input again and casts it before the graph runs. DIET has 8
inputs and TED has 17, so this took about as long as the graph itself. Measured with py-spy on our
server under 10 users: 11% of the server's time went to that input handling and 9% to the graphs.
Each prediction happens once per message for DIET and about twice for TED. These subclasses trace
the same function once, keep its concrete graph and pass it tensors of the signature's types
directly. Training, weights and outputs stay Rasa's (tests/components/test_graph_inference.py).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text, Tuple, Type

import numpy as np
import tensorflow as tf
from keras.utils import tf_utils
from rasa.core.policies.ted_policy import TED, TEDPolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.shared.constants import DIAGNOSTIC_DATA


class ConcreteGraphPrediction:
    """Mixin for a `RasaModel`: after the first prediction, call the traced graph directly."""

    def _rasa_predict(self, batch_in: Tuple[np.ndarray, ...]) -> Dict[Text, Any]:
        graph: Optional[Any] = self.__dict__.get("_concrete_predict")
        if graph is None:
            outputs = super()._rasa_predict(batch_in)  # type: ignore[misc]  # traces the tf.function
            self._keep_concrete_graph()
            return outputs
        specs = graph.structured_input_signature[0][0]
        tensors = [tf.convert_to_tensor(value, dtype=spec.dtype) for value, spec in zip(batch_in, specs)]
        outputs = tf_utils.sync_to_numpy_or_python_type(graph._call_flat(tensors, graph.captured_inputs))
        if DIAGNOSTIC_DATA in outputs:
            outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])  # type: ignore[attr-defined]
        return outputs

    def _keep_concrete_graph(self) -> None:
        """Remember the graph Rasa traced (none when it runs eagerly), outside Keras' tracking."""
        function = getattr(self, "_tf_predict_step", None)
        if function is not None:
            # object.__setattr__: Keras would otherwise track the graph as part of the model.
            object.__setattr__(self, "_concrete_predict", function.get_concrete_function(*function.input_signature))


class GraphDIET(ConcreteGraphPrediction, DIET):
    """Rasa's DIET model, predicting through its concrete graph."""


class GraphTED(ConcreteGraphPrediction, TED):
    """Rasa's TED model, predicting through its concrete graph."""


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class GraphDIETClassifier(DIETClassifier):
    """`DIETClassifier` whose model predicts through its concrete graph; configured the same way."""

    @staticmethod
    def model_class() -> Type[DIET]:
        return GraphDIET


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITH_END_TO_END_SUPPORT, is_trainable=True)
class GraphTEDPolicy(TEDPolicy):
    """`TEDPolicy` whose model predicts through its concrete graph; configured the same way."""

    @staticmethod
    def model_class() -> Type[TED]:
        return GraphTED
