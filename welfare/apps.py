from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = "维权服务·福利"

    def ready(self) -> None:
        from members.scoping import reaching_scope, reference_scope
        from welfare.models import (
            AssistanceFund,
            BenefitLine,
            Claim,
            Enrolment,
            JobFair,
            LeadershipVisit,
            LegalAidEvent,
            MutualAidPlan,
            Proposal,
            RecuperationProgramme,
            ServiceStation,
            TrainingCourse,
            WageNegotiation,
        )

        # A plan or a programme organised above applies to every union below the organiser.
        reaching_scope(MutualAidPlan)
        reaching_scope(BenefitLine, "plan__union")
        reaching_scope(RecuperationProgramme)
        for model in (
            AssistanceFund,
            Claim,
            Enrolment,
            JobFair,
            LegalAidEvent,
            ServiceStation,
            TrainingCourse,
            LeadershipVisit,
            Proposal,
            WageNegotiation,
        ):
            reference_scope(model, union_field="union")
