# Personal data at rest, step 2: encrypt existing holder codes and fill their blind index.
# Raw SQL: the historical model's EncryptedCharField would try to decrypt the plain values it
# reads. Reversible (decrypts back).

from django.db import migrations

from core.crypto import blind_index, decrypt, encrypt

BATCH = 500


def _table(apps, schema_editor):
    return schema_editor.quote_name(apps.get_model('certificates', 'Certificate')._meta.db_table)


def encrypt_rows(apps, schema_editor):
    table = _table(apps, schema_editor)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'SELECT id, holder_code FROM {table}')
        rows = cursor.fetchall()
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f'UPDATE {table} SET holder_code = %s, holder_code_index = %s WHERE id = %s',
                [
                    [encrypt(code), blind_index(code, kind='holder_code'), pk] if code else [code, None, pk]
                    for pk, code in rows[start : start + BATCH]
                ],
            )


def decrypt_rows(apps, schema_editor):
    table = _table(apps, schema_editor)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'SELECT id, holder_code FROM {table}')
        rows = cursor.fetchall()
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f'UPDATE {table} SET holder_code = %s WHERE id = %s',
                [[decrypt(code) if code else code, pk] for pk, code in rows[start : start + BATCH]],
            )


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0003_personal_data_encrypted'),
    ]

    operations = [
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
