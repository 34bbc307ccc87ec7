from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = "深化产改·技能"

    def ready(self) -> None:
        from members.scoping import reaching_scope, reference_scope
        from skills.models import (
            Competition,
            CraftsmanVisit,
            GoldenIdea,
            HonourSelection,
            InnovationStudio,
            StudioAlliance,
        )

        # A competition or an alliance organised above is entered or joined from below.
        reaching_scope(Competition)
        reaching_scope(StudioAlliance)
        reference_scope(CraftsmanVisit, union_field="union")
        reference_scope(GoldenIdea, union_field="union")
        reference_scope(HonourSelection, union_field="union")
        reference_scope(InnovationStudio, union_field="union")
