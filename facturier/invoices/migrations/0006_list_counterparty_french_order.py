"""The invoice lists sort the counterparty in French order: its two sort indexes hold the collated name.

On PostgreSQL the index column takes ICU's ``fr-x-icu`` collation; on SQLite the ``fr`` collation
every connection registers (``facturier.collation``, connected in ``accounts.apps``).
"""

import facturier.collation
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('invoices', '0005_merge_held_files_and_recognition'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='invoice',
            name='inv_list_buyer',
        ),
        migrations.RemoveIndex(
            model_name='invoice',
            name='inv_list_seller',
        ),
        migrations.AddIndex(
            model_name='invoice',
            index=models.Index(models.F('dossier'), models.F('direction'), facturier.collation.French(models.F('buyer_name')), models.F('id'), name='inv_list_buyer_fr'),
        ),
        migrations.AddIndex(
            model_name='invoice',
            index=models.Index(models.F('dossier'), models.F('direction'), facturier.collation.French(models.F('seller_name')), models.F('id'), name='inv_list_seller_fr'),
        ),
    ]
