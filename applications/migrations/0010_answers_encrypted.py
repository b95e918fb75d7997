# Personal data at rest (core.crypto): the form answers of cases and of 一件事 applications become
# text columns holding a Fernet token of their JSON. One migration, so the cast to text and the
# encryption of every existing row commit together: the code never meets a plain row.
# Raw SQL (core.crypto.json_column_encrypt): the historical field would try to decrypt the plain
# JSON it reads. Reversible: decrypts back to JSON text, then casts to jsonb.
# Rewrites both tables under an exclusive lock: run it in a maintenance window on a large database.

from django.db import migrations

from core.crypto import EncryptedJSONField, json_column_decrypt, json_column_encrypt

COLUMNS = (('Application', 'answers'), ('BundleApplication', 'answers'))


def encrypt_rows(apps, schema_editor):
    for model_name, column in COLUMNS:
        table = apps.get_model('applications', model_name)._meta.db_table
        json_column_encrypt(schema_editor, table=table, column=column)


def decrypt_rows(apps, schema_editor):
    for model_name, column in COLUMNS:
        table = apps.get_model('applications', model_name)._meta.db_table
        json_column_decrypt(schema_editor, table=table, column=column)


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0009_application_anonymised_at'),
    ]

    operations = [
        migrations.AlterField(
            model_name='application',
            name='answers',
            field=EncryptedJSONField(blank=True, default=dict, verbose_name='表单内容'),
        ),
        migrations.AlterField(
            model_name='bundleapplication',
            name='answers',
            field=EncryptedJSONField(blank=True, default=dict, verbose_name='一表申请内容'),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
