"""The evidence log split by body, step 3 of 3: every entry has its chain and position, every head its
chain."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_split_chains")]

    operations = [
        migrations.AlterField(
            model_name="audithead",
            name="chain",
            field=models.BigIntegerField(unique=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="position",
            field=models.PositiveBigIntegerField(verbose_name="posizione nella catena"),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(fields=["chain", "position"], name="audit_chain_position"),
        ),
    ]
