"""What the public sees in "Amministrazione Trasparente": published revisions only.

Everything here reads ``PublishedRevision`` rows, written once by ``publish`` and never changed, so work in
progress on an objective (a revision being drafted, signed, adopted) can never reach the public before it
is published itself. The live objective is used only to find its body, plan and code; its content never.
Unknown or unpublished things raise ``DoesNotExist``: the public views answer 404.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery

from workflow.export import document_as_csv_tables
from workflow.models import Body, Plan, StrategicObjective

from ..models import PublishedRelazione, PublishedRevision

NO_STRATEGIC = "Obiettivi non collegati a un obiettivo strategico"


def _published() -> QuerySet[PublishedRevision]:
    return PublishedRevision.objects.select_related(
        "objective", "objective__plan", "objective__plan__body", "adoption_act", "signed_pdf"
    ).defer("signed_pdf__content")


def public_bodies() -> list[dict]:
    """The bodies with at least one published objective, each with the years it published."""
    rows = (
        PublishedRevision.objects.values_list("objective__plan__body_id", "objective__plan__year")
        .distinct()
        .order_by()
    )
    years: dict[int, set[int]] = {}
    for body_id, year in rows:
        years.setdefault(body_id, set()).add(year)
    return [
        {"body": body, "years": sorted(years[body.pk], reverse=True)}
        for body in Body.objects.filter(pk__in=years).order_by("name")
    ]


def public_body(ipa_code: str) -> Body:
    """The body with code ``ipa_code`` if it published anything: an objective or a Relazione (else
    Body.DoesNotExist)."""
    body = Body.objects.get(ipa_code=ipa_code)
    if (
        PublishedRevision.objects.filter(objective__plan__body=body).exists()
        or PublishedRelazione.objects.filter(body=body).exists()
    ):
        return body
    raise Body.DoesNotExist


def public_years(body: Body) -> list[int]:
    return sorted(
        set(
            PublishedRevision.objects.filter(objective__plan__body=body).values_list(
                "objective__plan__year", flat=True
            )
        ),
        reverse=True,
    )


def public_plan(body: Body, year: int) -> Plan:
    """The body's plan of ``year`` if it has a published objective (else Plan.DoesNotExist)."""
    return (
        Plan.objects.filter(objectives__published_revisions__isnull=False)
        .distinct()
        .get(body=body, year=year)
    )


def has_publications(plan: Plan) -> bool:
    return PublishedRevision.objects.filter(objective__plan=plan).exists()


@dataclass(frozen=True)
class PublicationsVersion:
    """What a plan's public year page shows changes only with these: a new publication (a higher id, one
    more objective) or a live strategic objective, which names the groups of publications made before
    their snapshot was kept. Published rows are never changed (``publish`` writes them once)."""

    objectives: int
    latest_id: int
    strategic: str

    @property
    def key(self) -> str:
        return f"{self.objectives}.{self.latest_id}.{self.strategic}"


def publications_version(plan: Plan) -> PublicationsVersion:
    row = PublishedRevision.objects.filter(objective__plan=plan).aggregate(
        objectives=Count("objective", distinct=True), latest_id=Max("pk")
    )
    live = StrategicObjective.objects.filter(plan=plan).order_by("code")
    live = live.values_list("code", "title", "purposes")
    digest = hashlib.sha256(json.dumps(list(live), ensure_ascii=False).encode()).hexdigest()[:16]
    return PublicationsVersion(row["objectives"], row["latest_id"] or 0, digest)


def latest_publications(plan: Plan) -> list[PublishedRevision]:
    """The latest published revision of each objective of ``plan``, in code order."""
    latest = (
        PublishedRevision.objects.filter(objective=OuterRef("objective"))
        .order_by("-revision")
        .values("revision")[:1]
    )
    rows = _published().filter(objective__plan=plan, revision=Subquery(latest))
    return sorted(rows, key=lambda p: p.content.get("code", ""))


def publication_of(plan: Plan, code: str, revision: int | None = None) -> PublishedRevision:
    """One published revision of the objective ``code`` of ``plan``: ``revision``, else the latest."""
    rows = _published().filter(objective__plan=plan, objective__code=code).order_by("-revision")
    if revision is not None:
        return rows.get(revision=revision)
    found = rows.first()
    if found is None:
        raise PublishedRevision.DoesNotExist
    return found


def publications_of_objective(publication: PublishedRevision) -> list[PublishedRevision]:
    """Every published revision of the same objective, the latest first (all of them are kept: the
    transparency obligations keep them five years, and nothing ever deletes one)."""
    return list(_published().filter(objective_id=publication.objective_id).order_by("-revision"))


@dataclass
class StrategicGroup:
    code: str
    title: str
    purposes: list[str] = field(default_factory=list)
    publications: list[PublishedRevision] = field(default_factory=list)


def grouped_by_strategic(plan: Plan, publications: list[PublishedRevision]) -> list[StrategicGroup]:
    """``publications`` under the strategic objective their published content names (by code), in code
    order; those naming none (or one the plan lacks) come last in a group of their own."""
    # Titles and purposes as published (the snapshot of the latest publication in the group); the live
    # strategic objective only for publications older than the snapshot, so a later re-import or edit of
    # the plan does not change what the public reads.
    live = {
        s.code: {"code": s.code, "title": s.title, "purposes": list(s.purposes)}
        for s in StrategicObjective.objects.filter(plan=plan)
    }
    groups: dict[str, StrategicGroup] = {}
    latest: dict[str, int] = {}
    loose = StrategicGroup(code="", title=NO_STRATEGIC)
    for publication in publications:
        code = publication.content.get("strategic_objective") or ""
        s = publication.strategic if publication.strategic.get("code") == code and code else live.get(code)
        if s is None:
            loose.publications.append(publication)
            continue
        group = groups.setdefault(
            code, StrategicGroup(code=code, title=s["title"], purposes=list(s["purposes"]))
        )
        if publication.strategic and publication.step_id >= latest.get(code, 0):
            latest[code] = publication.step_id
            group.title, group.purposes = s["title"], list(s["purposes"])
        group.publications.append(publication)
    ordered = [groups[c] for c in sorted(groups)]
    return ordered + ([loose] if loose.publications else [])


def act_label(publication: PublishedRevision) -> str:
    return str(publication.adoption_act) if publication.adoption_act_id else ""


def open_data_document(plan: Plan, publications: list[PublishedRevision]) -> dict:
    """The shared schema's document for the published objectives of ``plan``, built from the published
    snapshots. Each objective also says which revision it is, when it was published and by which act."""
    objectives = []
    for p in publications:
        item = dict(p.content)
        item["revision"] = p.revision
        item["published_on"] = p.published_on.isoformat()
        item["adoption_act"] = act_label(p)
        objectives.append(item)
    return {
        "body": plan.body.name,
        "year": plan.year,
        "strategic_objectives": [
            {
                "code": group.code,
                "title": group.title,
                "purposes": group.purposes,
                "linked_objectives": [
                    {"code": p.content["code"], "title": p.content["title"], "weight": p.content["weight"]}
                    for p in group.publications
                ],
            }
            for group in grouped_by_strategic(plan, publications)
            if group.code
        ],
        "objectives": objectives,
    }


CSV_TABLES = ("obiettivi", "fasi", "indicatori")


def open_data_table(document: dict, table: str) -> list[list]:
    """One table of the open data (``obiettivi``, ``fasi``, ``indicatori``): a header row and data rows;
    the objectives table also carries the revision, the publication date and the adoption act."""
    rows = document_as_csv_tables(document)[table]
    if table != "obiettivi":
        return rows
    extra = ["revision", "published_on", "adoption_act"]
    out = [rows[0] + extra]
    for row, o in zip(rows[1:], document["objectives"], strict=True):
        out.append(row + [o.get(c, "") for c in extra])
    return out


# -- the Relazione sulla performance --------------------------------------------------------------------
def relazione_years(body: Body) -> list[int]:
    """The years for which ``body`` published a Relazione sulla performance, latest first."""
    return sorted(
        set(PublishedRelazione.objects.filter(body=body).values_list("year", flat=True)), reverse=True
    )


def published_relazioni(body: Body, year: int) -> list:
    """Every published version of the body's Relazione of ``year``, latest first (empty: none)."""
    return list(
        PublishedRelazione.objects.filter(body=body, year=year)
        .select_related("adoption", "validation", "file", "validation__document", "adoption__act_file")
        .defer("file__content", "validation__document__content", "adoption__act_file__content")
        .order_by("-version")
    )
