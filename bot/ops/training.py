"""Train the Rasa model only when its inputs changed, keyed by a fingerprint of config, domain and data."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT

TRAINING_DATA = ("data/nlu", "data/stories", "data/rules")
# The code of the project's own NLU components (config.yml names them) shapes the model too.
NLU_CODE = (
    "rasa_addons/nlu_features.py",
    "rasa_addons/tfidf_intents.py",
    "bot/language/baseline.py",
    "bot/language/romanise.py",
)
MODEL_INPUTS = ("config.yml", "domain.yml", *TRAINING_DATA, *NLU_CODE)
MODELS_DIR = PROJECT_ROOT / "models"


def _input_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for name in MODEL_INPUTS:
        path = root / name
        files.extend(sorted(path.rglob("*.yml")) if path.is_dir() else [path])
    return files


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    """A short hash of every file the model is trained from."""
    digest = hashlib.sha256()
    for path in _input_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path(root: Path = PROJECT_ROOT) -> Path:
    """Where the model for the current inputs is (or will be) stored."""
    return MODELS_DIR / f"model-{fingerprint(root)}.tar.gz"


def ensure_model(root: Path = PROJECT_ROOT) -> Path:
    """Return the current model, training it first when the inputs changed since the last training."""
    target = model_path(root)
    if target.exists():
        return target
    data = [str(root / name) for name in TRAINING_DATA]
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(root / "config.yml"),
        "--domain", str(root / "domain.yml"),
        "--data", *data,
        "--out", str(target.parent),
        "--fixed-model-name", target.name.removesuffix(".tar.gz"),
    ]  # fmt: skip
    subprocess.run(command, check=True, cwd=root)
    return target
