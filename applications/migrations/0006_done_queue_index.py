# The 已办结 tab of the workbench: filter and order on when a case ended, per department.

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0005_bundles_step_clock'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='application',
            index=models.Index(
                models.F('department'),
                django.db.models.functions.comparison.Coalesce('completed_at', 'closed_at').desc(),
                models.F('id').desc(),
                name='application_done_queue',
            ),
        ),
    ]
