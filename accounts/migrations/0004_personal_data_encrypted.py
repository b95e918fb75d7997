# Personal data at rest (core.crypto), step 1 of 3: the columns become text for Fernet tokens and
# the blind-index columns appear (not unique yet: they are filled by 0005).

import core.crypto
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_user_password_changed_at'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='id_number',
            field=core.crypto.EncryptedCharField(blank=True, max_length=18, null=True, verbose_name='公民身份号码'),
        ),
        migrations.AlterField(
            model_name='user',
            name='mobile',
            field=core.crypto.EncryptedCharField(blank=True, max_length=11, verbose_name='手机号码'),
        ),
        migrations.AddField(
            model_name='user',
            name='id_number_index',
            field=core.crypto.BlindIndexField(kind='id_number', source='id_number'),
        ),
        migrations.AddField(
            model_name='user',
            name='mobile_index',
            field=core.crypto.BlindIndexField(db_index=True, kind='mobile', source='mobile'),
        ),
        migrations.AddField(
            model_name='onetimecode',
            name='mobile_index',
            field=models.CharField(default='', max_length=64, verbose_name='手机号码索引'),
            preserve_default=False,
        ),
    ]
