# Personal data at rest, step 2: encrypt the applicant's ID number and mobile on existing cases.
# Raw SQL: the historical model's EncryptedCharField would try to decrypt the plain values it
# reads. Reversible (decrypts back).

from django.db import migrations

from core.crypto import decrypt, encrypt

BATCH = 500


def _convert(apps, schema_editor, convert):
    connection = schema_editor.connection
    table = schema_editor.quote_name(apps.get_model('applications', 'Application')._meta.db_table)
    with connection.cursor() as read:
        read.execute(f'SELECT id, applicant_id_number, applicant_mobile FROM {table}')
        rows = read.fetchall()
    with connection.cursor() as write:
        for start in range(0, len(rows), BATCH):
            write.executemany(
                f'UPDATE {table} SET applicant_id_number = %s, applicant_mobile = %s WHERE id = %s',
                [
                    [convert(id_number) if id_number else id_number, convert(mobile) if mobile else mobile, pk]
                    for pk, id_number, mobile in rows[start : start + BATCH]
                ],
            )


def encrypt_rows(apps, schema_editor):
    _convert(apps, schema_editor, encrypt)


def decrypt_rows(apps, schema_editor):
    _convert(apps, schema_editor, decrypt)


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0007_personal_data_encrypted'),
    ]

    operations = [
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
