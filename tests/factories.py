"""factory_boy factories and the named people of the test scenarios."""

import datetime as dt
import importlib

import factory
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from guardian.shortcuts import clear_ct_cache

from flows.services.memberships import membership_grant
from workflow.models import Body, Indicator, Objective, Phase, Plan, Role, StrategicObjective

User = get_user_model()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"utente{n}")
    first_name = "Mario"
    last_name = factory.Sequence(lambda n: f"Rossi{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("password-di-prova")


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("ipa_code",)

    name = "Provincia di Cremona"
    ipa_code = "p_cr"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ("body", "year")

    body = factory.SubFactory(BodyFactory)
    year = 2023
    triennium = "2023-2025"
    deadline = dt.date(2023, 1, 31)


class StrategicObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicObjective
        django_get_or_create = ("plan", "code")

    plan = factory.SubFactory(PlanFactory)
    code = "2023_OS01"
    title = "VALORIZZAZIONE DELLA STRUTTURA ORGANIZZATIVA E INCREMENTO DEI SERVIZI"


def ensure_role_groups() -> None:
    """Write again the role groups of migration 0002_role_groups.

    A transactional test (``transaction=True``: browser, concurrency) ends by flushing every table; the
    flush recreates permissions and content types but not the groups the data migration wrote.
    (``serialized_rollback=True`` restores them for one test, but its flush skips post_migrate and leaves
    the following transactional tests without permissions.) So: recreate what is missing.
    """
    ContentType.objects.clear_cache()
    clear_ct_cache()  # guardian's own cache of content type ids
    create_permissions(apps.get_app_config("workflow"), verbosity=0)
    migration = importlib.import_module("workflow.migrations.0002_role_groups")
    for name, codenames in migration.GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(content_type__app_label="workflow", codename__in=codenames)
        group.permissions.set(perms)


def superuser():
    user, _ = User.objects.get_or_create(username="root", defaults={"is_superuser": True, "is_staff": True})
    return user


def member(username, body, role, *, first_name="Mario", last_name=None, center=""):
    """A user holding ``role`` in ``body`` (created if needed), through the real membership service."""
    user = UserFactory(username=username, first_name=first_name, last_name=last_name or username.title())
    membership_grant(by=superuser(), user=user, body=body, role=role, responsibility_center=center)
    return user


class ObjectiveFactory(factory.django.DjangoModelFactory):
    """A complete draft (ready to submit). Guardian rights for ``responsible`` are granted on creation."""

    class Meta:
        model = Objective

    plan = factory.SubFactory(PlanFactory)
    strategic_objective = factory.LazyAttribute(lambda o: StrategicObjectiveFactory(plan=o.plan))
    code = factory.Sequence(lambda n: f"2023_{5500 + n}")
    title = factory.Sequence(lambda n: f"Obiettivo di prova {n}")
    weight = 40
    responsibility_center = "SETTORE RISORSE ECONOMICHE E FINANZIARIE"
    purpose = "Migliorare i tempi di pagamento."

    @factory.post_generation
    def content(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        Phase.objects.create(objective=obj, position=1, description="Analisi", weight=50,
                             start=dt.date(2023, 1, 1), end=dt.date(2023, 3, 31))
        Phase.objects.create(objective=obj, position=2, description="Attuazione", weight=50,
                             start=dt.date(2023, 4, 1), end=dt.date(2023, 12, 31))
        Indicator.objects.create(objective=obj, position=1, description="Tempo medio di pagamento",
                                 kind="RISULTATO", expected="<30")

    @factory.post_generation
    def grant(obj, create, extracted, **kwargs):
        if create and obj.responsible is not None:
            from flows.services.content import _grant_responsible

            _grant_responsible(obj, obj.responsible)


__all__ = ["Role"]
