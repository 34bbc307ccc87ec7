"""What every skills admin shares: forms that save one entity through its own services."""

from import_export.formats.base_formats import CSV, XLSX

from members.admin_mixins import ScopedServiceAdmin, ServiceForm


def _errors(exc: Exception) -> str:
    return "；".join(getattr(exc, "messages", None) or [str(exc)])


class EntityForm(ServiceForm):
    """Saves one entity through its own services: `create(**fields, by=...)` for a new record,
    `update(<instance_name>=record, data=<the changed fields>, by=...)` for a change (the service
    lists what may be edited)."""

    create = None
    update = None
    instance_name = ""

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        if self.instance.pk:
            changed = {name: value for name, value in data.items() if name in self.changed_data}
            return type(self).update(**{self.instance_name: self.instance}, data=changed, by=by)
        return type(self).create(**data, by=by)


def entity_form(model, fields, create, update, instance_name):
    """The admin form of one entity, saving through that entity's two services."""
    meta = type("Meta", (), {"model": model, "fields": fields})
    return type(
        f"{model.__name__}Form",
        (EntityForm,),
        {
            "Meta": meta,
            "create": staticmethod(create),
            "update": staticmethod(update),
            "instance_name": instance_name,
        },
    )


class RecordAdmin(ScopedServiceAdmin):
    list_select_related = ["union"]

    def get_export_formats(self):
        return [XLSX, CSV]
