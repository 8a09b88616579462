"""The evidence log split by body, step 1 of 3: the columns of a chain per body, still empty."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_head_last_at")]

    operations = [
        migrations.AddField(
            model_name="audithead",
            name="chain",
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain",
            field=models.BigIntegerField(default=0, verbose_name="catena"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="position",
            field=models.PositiveBigIntegerField(null=True, verbose_name="posizione nella catena"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="legacy_prev_hash",
            field=models.CharField(blank=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="legacy_hash",
            field=models.CharField(blank=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(verbose_name="quando"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["chain", "at"], name="audit_chain_at"),
        ),
    ]
