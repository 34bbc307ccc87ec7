from import_export import resources

from common.spreadsheets import formula_safe


class FormulaSafeResource(resources.ModelResource):
    """Every exported cell that Excel would run as a formula (=, +, -, @) is defused."""

    def export_field(self, field, instance, **kwargs):
        return formula_safe(super().export_field(field, instance, **kwargs))
