"""Retention (issue 16): members_member gains `deidentified_on` (nullable, no default: PostgreSQL 11+
adds it in the catalogue only, no table rewrite, the ACCESS EXCLUSIVE lock is held for
milliseconds), and the reveal log's member becomes optional (DROP NOT NULL: catalogue only too)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0006_merge_transfer_requested_by_member'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmember',
            name='deidentified_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='去标识化日期'),
        ),
        migrations.AddField(
            model_name='member',
            name='deidentified_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='去标识化日期'),
        ),
        migrations.AlterField(
            model_name='idnumberaccess',
            name='member',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='id_accesses', to='members.member', verbose_name='会员'),
        ),
    ]
