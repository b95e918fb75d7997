# Personal data at rest (core.crypto), step 1: the holder code becomes a text column for Fernet
# tokens, with a blind index that the holder lookups use.

import core.crypto
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0002_void_status'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='certificate',
            name='certificate_holder',
        ),
        migrations.AlterField(
            model_name='certificate',
            name='holder_code',
            field=core.crypto.EncryptedCharField(max_length=18, verbose_name='持证主体代码'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='holder_code_index',
            field=core.crypto.BlindIndexField(kind='holder_code', source='holder_code'),
        ),
        migrations.AddIndex(
            model_name='certificate',
            index=models.Index(fields=['holder_code_index', 'type', 'status'], name='certificate_holder'),
        ),
    ]
