"""Brokerage asks about leaders' committed work through its port, which deployments provides."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from brokerage import workload as port
from deployments.workload import DeploymentsWorkload


def test_the_deployments_app_provides_the_workload():
    assert isinstance(port.workload(), DeploymentsWorkload)


def test_without_a_provider_the_workload_is_a_configuration_error(monkeypatch):
    monkeypatch.setattr(port, "_provided", None)
    with pytest.raises(ImproperlyConfigured):
        port.workload()


def test_a_provided_workload_is_the_one_asked(monkeypatch):
    monkeypatch.setattr(port, "_provided", None)
    provided = DeploymentsWorkload()
    port.provide_workload(provided)
    assert port.workload() is provided
