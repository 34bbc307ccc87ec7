"""Consent keyed by the person (the ID number's keyed hash), not by the phone it was given from.

The data move fills `person_hash` for the consents already given:
- a join consent: from the application that used it (its ID number's hash);
- a medical-receipts consent: from the members registered with that phone, when they are one
  person. A phone shared by two people (a couple's number) stays blank: that person is asked to
  consent again, rather than one person's consent being counted as another's.
Reversing drops the column; the phone each consent was given from was never touched."""

from django.db import migrations, models


def consents_to_people(apps, schema_editor):
    Consent = apps.get_model("portal", "Consent")
    JoinApplication = apps.get_model("portal", "JoinApplication")
    Member = apps.get_model("members", "Member")
    for application in JoinApplication.objects.exclude(id_number_hash="").only(
        "consent_id", "id_number_hash"
    ):
        Consent.objects.filter(pk=application.consent_id, person_hash="").update(
            person_hash=application.id_number_hash
        )
    phones = (
        Consent.objects.filter(person_hash="", notice="medical_receipts")
        .values_list("phone", flat=True)
        .distinct()
    )
    for phone in phones.iterator():
        people = set(
            Member.objects.filter(phone=phone).values_list("id_number_hash", flat=True)
        )
        if len(people) == 1:
            Consent.objects.filter(
                person_hash="", notice="medical_receipts", phone=phone
            ).update(person_hash=people.pop())


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_merge_medical_receipts_and_corrections"),
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="person_hash",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                verbose_name="公民身份号码摘要",
            ),
        ),
        migrations.RunPython(consents_to_people, migrations.RunPython.noop, elidable=True),
    ]
