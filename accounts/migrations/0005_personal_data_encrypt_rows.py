# Personal data at rest, step 2 of 3: encrypt the existing ID numbers and mobiles and fill the
# blind indexes. Raw SQL: the historical model's EncryptedCharField would try to decrypt the
# plain values it reads. Reversible (decrypts back), for a rollback before 0006.

from django.db import migrations

from core.crypto import blind_index, decrypt, encrypt

BATCH = 500


def _rows(cursor, sql, params=()):
    cursor.execute(sql, params)
    while rows := cursor.fetchmany(BATCH):
        yield from rows


def encrypt_rows(apps, schema_editor):
    connection = schema_editor.connection
    q = schema_editor.quote_name
    user_table = q(apps.get_model('accounts', 'User')._meta.db_table)
    code_table = q(apps.get_model('accounts', 'OneTimeCode')._meta.db_table)
    with connection.cursor() as read, connection.cursor() as write:
        for pk, id_number, mobile in list(_rows(read, f'SELECT id, id_number, mobile FROM {user_table}')):
            write.execute(
                f'UPDATE {user_table} SET id_number = %s, id_number_index = %s, mobile = %s, '
                f'mobile_index = %s WHERE id = %s',
                [
                    encrypt(id_number) if id_number else id_number,
                    blind_index(id_number, kind='id_number') if id_number else None,
                    encrypt(mobile) if mobile else mobile,
                    blind_index(mobile, kind='mobile') if mobile else None,
                    pk,
                ],
            )
        for pk, mobile in list(_rows(read, f'SELECT id, mobile FROM {code_table}')):
            write.execute(
                f'UPDATE {code_table} SET mobile_index = %s WHERE id = %s',
                [blind_index(mobile or '', kind='mobile'), pk],
            )


def decrypt_rows(apps, schema_editor):
    connection = schema_editor.connection
    q = schema_editor.quote_name
    user_table = q(apps.get_model('accounts', 'User')._meta.db_table)
    with connection.cursor() as read, connection.cursor() as write:
        for pk, id_number, mobile in list(_rows(read, f'SELECT id, id_number, mobile FROM {user_table}')):
            write.execute(
                f'UPDATE {user_table} SET id_number = %s, mobile = %s WHERE id = %s',
                [decrypt(id_number) if id_number else id_number, decrypt(mobile) if mobile else mobile, pk],
            )
    # One-time codes keep no plain mobile once 0006 ran; their codes expire within minutes anyway.


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_personal_data_encrypted'),
    ]

    operations = [
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
