# Notification addresses encrypted at rest, step 2 of 2: a message to someone without an account
# goes once per event, channel and address, now compared on the address's blind index.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0004_notification_address_encrypted'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.UniqueConstraint(condition=models.Q(('recipient__isnull', True)), fields=('key', 'channel', 'address_index'), name='notification_once_per_address'),
        ),
    ]
