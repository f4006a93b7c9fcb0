import pytest

from tests.conftest import rated


@pytest.fixture
def roadmap_world(roadmap_world):
    """Roadmap tests plan for a learner who has rated themselves (see ``tests.conftest.rated``)."""
    return rated(roadmap_world)
