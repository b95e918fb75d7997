# Personal data at rest (core.crypto), step 1: the applicant's ID number and mobile become text
# columns for Fernet tokens.

import core.crypto
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0006_done_queue_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='application',
            name='applicant_id_number',
            field=core.crypto.EncryptedCharField(max_length=18, verbose_name='申请人证件号码'),
        ),
        migrations.AlterField(
            model_name='application',
            name='applicant_mobile',
            field=core.crypto.EncryptedCharField(blank=True, max_length=11, verbose_name='申请人手机号码'),
        ),
    ]
