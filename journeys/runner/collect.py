"""Collect ``.feature`` files as pytest modules, so ``pytest features/x.feature`` works.

pytest-bdd binds scenarios through a Python test module that calls
``scenarios()``; here each feature file becomes such a module, built in memory.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import scenario
from pytest_bdd.feature import get_features
from pytest_bdd.scenario import get_python_name_generator


def _bind_feature(path: Path) -> types.ModuleType:
    module = types.ModuleType(f"features.{path.stem}")
    module.__file__ = str(path)
    for feature in get_features([str(path)]):
        for scenario_name in feature.scenarios:

            @scenario(str(path), scenario_name, features_base_dir=str(path.parent))
            def _scenario() -> None:
                """A journey from a feature file; its steps do the work."""

            for test_name in get_python_name_generator(scenario_name):
                if not hasattr(module, test_name):
                    setattr(module, test_name, _scenario)
                    break
    return module


class FeatureFile(pytest.Module):
    """A feature file, collected like a test module of its scenarios."""

    def _getobj(self) -> Any:
        return _bind_feature(Path(self.path))
