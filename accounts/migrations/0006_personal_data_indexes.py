# Personal data at rest, step 3 of 3: one account per ID number, now enforced on the blind index;
# one-time codes keep the mobile's blind index only.

import core.crypto
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_personal_data_encrypt_rows'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='id_number_index',
            field=core.crypto.BlindIndexField(kind='id_number', source='id_number', unique=True),
        ),
        migrations.RemoveIndex(
            model_name='onetimecode',
            name='code_by_mobile',
        ),
        migrations.RemoveField(
            model_name='onetimecode',
            name='mobile',
        ),
        migrations.AddIndex(
            model_name='onetimecode',
            index=models.Index(fields=['mobile_index', 'purpose', 'created_at'], name='code_by_mobile'),
        ),
    ]
