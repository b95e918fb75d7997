# Personal data at rest (core.crypto): a certificate's printed fields become a text column holding
# a Fernet token of their JSON, cast and encrypted in one transaction. Raw SQL
# (core.crypto.json_column_encrypt): the historical field would try to decrypt the plain JSON it
# reads. The values read back unchanged, so rendering and the signed PDF are unaffected.
# Reversible: decrypts back to JSON text, then casts to jsonb.

from django.db import migrations

from core.crypto import EncryptedJSONField, json_column_decrypt, json_column_encrypt


def encrypt_rows(apps, schema_editor):
    table = apps.get_model('certificates', 'Certificate')._meta.db_table
    json_column_encrypt(schema_editor, table=table, column='data')


def decrypt_rows(apps, schema_editor):
    table = apps.get_model('certificates', 'Certificate')._meta.db_table
    json_column_decrypt(schema_editor, table=table, column='data')


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0004_personal_data_encrypt_rows'),
    ]

    operations = [
        migrations.AlterField(
            model_name='certificate',
            name='data',
            field=EncryptedJSONField(blank=True, default=dict, verbose_name='照面信息'),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
