# Notification addresses (the mobile or e-mail a message goes to) encrypted at rest (core.crypto),
# step 1 of 2: the column becomes text for Fernet tokens, the blind index appears, and the
# existing rows are encrypted and indexed. 0005 puts the once-per-address constraint on the index.
# Raw SQL for the rows: the historical model's EncryptedCharField would try to decrypt the plain
# values it reads. Reversible (decrypts back).

import core.crypto
from django.conf import settings
from django.db import migrations

from core.crypto import blind_index, decrypt, encrypt

BATCH = 500
KIND = 'address'  # notifications.models.ADDRESS_INDEX_KIND


def _rows(cursor, sql):
    cursor.execute(sql)
    while rows := cursor.fetchmany(BATCH):
        yield from rows


def encrypt_rows(apps, schema_editor):
    table = schema_editor.quote_name(apps.get_model('notifications', 'Notification')._meta.db_table)
    connection = schema_editor.connection
    with connection.cursor() as read, connection.cursor() as write:
        for pk, address in list(_rows(read, f"SELECT id, address FROM {table} WHERE address <> ''")):
            write.execute(
                f'UPDATE {table} SET address = %s, address_index = %s WHERE id = %s',
                [encrypt(address), blind_index(address, kind=KIND), pk],
            )


def decrypt_rows(apps, schema_editor):
    table = schema_editor.quote_name(apps.get_model('notifications', 'Notification')._meta.db_table)
    connection = schema_editor.connection
    with connection.cursor() as read, connection.cursor() as write:
        for pk, token in list(_rows(read, f"SELECT id, address FROM {table} WHERE address <> ''")):
            write.execute(
                f'UPDATE {table} SET address = %s, address_index = NULL WHERE id = %s',
                [decrypt(token), pk],
            )


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_supervision_events'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='notification',
            name='notification_once_per_address',
        ),
        migrations.AddField(
            model_name='notification',
            name='address_index',
            field=core.crypto.BlindIndexField(kind='address', source='address'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='address',
            field=core.crypto.EncryptedCharField(blank=True, max_length=254, verbose_name='地址'),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
