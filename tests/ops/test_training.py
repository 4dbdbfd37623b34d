"""The model fingerprint changes exactly when the model's inputs change."""

import shutil

from bot.ops.training import NLU_CODE, fingerprint
from bot.settings import PROJECT_ROOT


def copy_project_inputs(target):
    for name in ("config.yml", "domain.yml"):
        shutil.copy(PROJECT_ROOT / name, target / name)
    for name in ("nlu", "stories", "rules"):
        shutil.copytree(PROJECT_ROOT / "data" / name, target / "data" / name)
    for name in NLU_CODE:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_ROOT / name, target / name)


def test_fingerprint_follows_data_changes_only(tmp_path):
    copy_project_inputs(tmp_path)
    before = fingerprint(tmp_path)
    (tmp_path / "README.md").write_text("not a model input")
    assert fingerprint(tmp_path) == before
    nlu = tmp_path / "data" / "nlu" / "en.yml"
    nlu.write_text(nlu.read_text() + "\n")
    assert fingerprint(tmp_path) != before


def test_fingerprint_follows_the_nlu_component_code(tmp_path):
    copy_project_inputs(tmp_path)
    before = fingerprint(tmp_path)
    code = tmp_path / "bot" / "language" / "romanise.py"
    code.write_text(code.read_text() + "\n")
    assert fingerprint(tmp_path) != before
