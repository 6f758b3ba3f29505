from django.apps import AppConfig


class DeploymentsConfig(AppConfig):
    name = "deployments"
    verbose_name = "Deployments"

    def ready(self) -> None:
        from brokerage.signals import request_ending
        from brokerage.workload import provide_workload

        from .services.transitions import end_proposals_of_ending_request
        from .workload import DeploymentsWorkload

        request_ending.connect(end_proposals_of_ending_request, dispatch_uid="deployments-end-proposals")
        # Brokerage asks about leaders' committed work through its port; deployments answers.
        provide_workload(DeploymentsWorkload())
