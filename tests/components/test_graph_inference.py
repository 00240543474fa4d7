"""DIET and TED predicting through their concrete graphs say exactly what Rasa's own call says.

Runs the trained model in-process (`make test` trains it first), records every batch the two
models predict on, and compares each prediction with Rasa's stock `tf.function` call.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import numpy as np
import pytest
from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel

from components.graph_inference import ConcreteGraphPrediction

MODEL = Path(__file__).resolve().parents[2] / "models" / "interdependence-coach.tar.gz"
MESSAGES = ["hi there", "what is codependency?", "I can't say no to him", "how do I set boundaries?", "thanks, bye"]


def flatten(outputs: Any, prefix: str = "") -> Dict[str, np.ndarray]:
    """Every array of a (nested) prediction output, by its key path."""
    if isinstance(outputs, dict):
        return {key: value for name, item in outputs.items() for key, value in flatten(item, f"{prefix}/{name}").items()}
    return {prefix: np.asarray(outputs)}


@pytest.fixture(scope="module")
def predictions() -> Iterator[List[Tuple[ConcreteGraphPrediction, tuple, Dict[str, Any]]]]:
    """(model, batch, output) for every DIET and TED prediction while a conversation runs."""
    recorded: List[Tuple[ConcreteGraphPrediction, tuple, Dict[str, Any]]] = []
    original = ConcreteGraphPrediction._rasa_predict

    def recording(self: ConcreteGraphPrediction, batch_in: tuple) -> Dict[str, Any]:
        outputs = original(self, batch_in)
        recorded.append((self, batch_in, outputs))
        return outputs

    ConcreteGraphPrediction._rasa_predict = recording  # type: ignore[method-assign]
    try:
        agent = Agent.load(str(MODEL))

        async def converse() -> None:
            for text in MESSAGES:
                await agent.handle_text(text, sender_id="graph-inference-test")

        asyncio.run(converse())
        yield recorded
    finally:
        ConcreteGraphPrediction._rasa_predict = original  # type: ignore[method-assign]


def test_the_model_uses_the_graph_subclasses(predictions: list) -> None:
    assert {type(model).__name__ for model, _, _ in predictions} == {"GraphDIET", "GraphTED"}


def test_concrete_graph_predictions_equal_rasas_own(predictions: list) -> None:
    # The first call of each model goes through Rasa's path (it traces); later ones through the graph.
    compared = 0
    for model, batch_in, outputs in predictions[2:]:
        assert "_concrete_predict" in model.__dict__
        expected = flatten(RasaModel._rasa_predict(model, batch_in))
        actual = flatten(outputs)
        assert actual.keys() == expected.keys()
        for key, value in expected.items():
            np.testing.assert_allclose(actual[key], value, rtol=1e-5, atol=1e-6, err_msg=key)
        compared += 1
    assert compared >= len(MESSAGES)
