"""The deployment fixtures (tests/deployments/conftest.py) for the pages' query counts."""

from tests.deployments.conftest import home_deployment, home_request, leader, lle_leader  # noqa: F401
