"""The hostile-input suite: a user's folder for each test."""

import pytest

from .support import Workspace


@pytest.fixture
def ws(tmp_path):
    """A user's folder with an earlier result in it, where commands run."""
    return Workspace(tmp_path)
