# Stored API answers can hold a name, an address or a masked number: the column becomes a text column
# holding a Fernet token of the JSON (core.crypto.EncryptedJSONField), cast and encrypted in one
# transaction (raw SQL: the historical field would try to decrypt the plain JSON it reads).

from django.db import migrations

import core.crypto
from core.crypto import json_column_decrypt, json_column_encrypt


def encrypt_rows(apps, schema_editor):
    table = apps.get_model("core", "IdempotencyRecord")._meta.db_table
    json_column_encrypt(schema_editor, table=table, column="response_body")


def decrypt_rows(apps, schema_editor):
    table = apps.get_model("core", "IdempotencyRecord")._meta.db_table
    json_column_decrypt(schema_editor, table=table, column="response_body")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_idempotency_record"),
    ]

    operations = [
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="response_body",
            field=core.crypto.EncryptedJSONField(blank=True, null=True, verbose_name="响应内容"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
