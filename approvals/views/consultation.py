"""The union consultation's pages: the unions' own page, an information with its letter, requests,
meetings and countdown, and the posts of the observation threads (shown on the objective's page)."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from flows import errors
from flows.services import consultation as services
from workflow import access
from workflow.middleware import require_body
from workflow.models import Objective, State
from workflow.rules import validate_plan_date
from workflow.selectors import objective_get, objectives_visible_to

from .. import uploads
from ..models import Meeting, UnionInformation
from ..selectors import consultation as selectors

ATTACHMENT_TYPE = "Il verbale allegato deve essere un file PDF."
ATTACHMENT_TOO_BIG = "L'allegato supera la dimensione massima di {mb} MB."
HELD_IN_FUTURE = "Registra un incontro dopo che si è svolto: la data non può essere futura."
PAGE_FORBIDDEN = (
    "La consultazione sindacale è visibile alle rappresentanze sindacali e al personale dell'ente."
)


# -- forms -------------------------------------------------------------------------------------------------
class ConfrontoRequestForm(forms.Form):
    text = forms.CharField(
        label="Testo della richiesta di confronto",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": services.REQUEST_TEXT_REQUIRED},
    )


class MeetingForm(forms.Form):
    held_on = forms.DateTimeField(
        label="Data e ora dell'incontro",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        validators=[validate_plan_date],
    )
    participants = forms.CharField(
        label="Partecipanti (nome e organizzazione, uno per riga)", widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.CharField(label="Verbale", widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(
        label="Verbale firmato (facoltativo, PDF fino a {mb} MB)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, information: UnionInformation, **kwargs):
        super().__init__(*args, **kwargs)
        self.information = information
        field = self.fields["attachment"]
        field.label = field.label.format(mb=uploads.megabytes(uploads.max_upload_bytes()))

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value > timezone.now():
            raise forms.ValidationError(HELD_IN_FUTURE)
        problem = services.meeting_time_problem(self.information, value)  # after the information and request
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        limit = uploads.max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(ATTACHMENT_TOO_BIG.format(mb=uploads.megabytes(limit)))
        upload.seek(0)
        content = upload.read()
        upload.seek(0)  # the service reads it again
        if not content.startswith(b"%PDF-"):
            raise forms.ValidationError(ATTACHMENT_TYPE)
        try:
            upload.content_type = uploads.check_pdf(content)
        except uploads.FileRefused as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload


class ObservationForm(forms.Form):
    text = forms.CharField(
        label="Osservazione",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": services.OBSERVATION_EMPTY},
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)


# -- helpers -----------------------------------------------------------------------------------------------
def _information_or_404(user, pk) -> UnionInformation:
    try:
        return selectors.information_get(user, pk)
    except UnionInformation.DoesNotExist as exc:
        raise Http404("Informazione sindacale non trovata.") from exc


def _objectives_of(user, information):
    """The information's objectives, each with whether ``user`` may open it now (an objective returned to
    drafting since is listed by its code only for a union representative)."""
    visible = set(
        objectives_visible_to(user).filter(union_informations=information).values_list("pk", flat=True)
    )
    rows = []
    for objective in information.objectives.select_related("responsible", "strategic_objective").order_by(
        "code"
    ):
        objective.visible = objective.pk in visible
        rows.append(objective)
    return rows


def _information_context(request, information, *, request_form=None, meeting_form=None) -> dict:
    user = request.user
    body_id = information.body_id
    union = selectors.is_union_rep(user, body_id)
    segreteria = access.is_segreteria(user, body_id)
    requests = list(information.requests.select_related("by"))
    open_now = selectors.open_objectives(information).exists()
    requested_by_me = next((r for r in requests if r.by_id == user.pk), None)
    can_request = union and selectors.request_open(information) and requested_by_me is None and open_now
    can_record = segreteria and bool(requests) and open_now
    return {
        "nav": "consultation",
        "information": information,
        "objectives": _objectives_of(user, information),
        "requests": requests,
        "requested_by_me": requested_by_me,
        "request_open": selectors.request_open(information),
        "period_end": selectors.information_period_end(information),
        "meetings": list(selectors.meetings_of(information)),
        "countdown": selectors.confronto_countdown(information),
        "open_now": open_now,
        "is_union": union,
        "is_segreteria": segreteria,
        "request_form": request_form
        or (ConfrontoRequestForm(auto_id="id_richiesta-%s") if can_request else None),
        "meeting_form": meeting_form
        or (MeetingForm(information=information, auto_id="id_incontro-%s") if can_record else None),
        "close_url": (
            reverse("workflow:batch") + f"?stato={State.UNION_CONSULTATION}&azione=close_consultation"
            if segreteria and open_now
            else ""
        ),
    }


# -- pages -------------------------------------------------------------------------------------------------
@login_required
@require_GET
def consultation_home(request):
    """The union representative's page (and the Segreteria's list of informations)."""
    body = require_body(request)
    roles = access.roles_in(request.user, body)
    if not roles & selectors.READERS:
        raise PermissionDenied(PAGE_FORBIDDEN)
    user = request.user
    informations = list(
        selectors.informations_visible_to(user, body).select_related("sent_by").prefetch_related("requests")
    )
    now = timezone.now()
    for information in informations:
        information.open_for_request = selectors.request_open(information, now)
        information.requested_by_me = any(r.by_id == user.pk for r in information.requests.all())
        information.countdown = selectors.confronto_countdown(information)
        information.still_open = selectors.open_objectives(information).count()
    union = selectors.is_union_rep(user, body.pk)
    return render(
        request,
        "approvals/consultation/home.html",
        {
            "nav": "consultation",
            "informations": informations,
            "open_informations": [i for i in informations if i.still_open],
            "is_union": union,
            "to_read": list(selectors.union_objectives(user, body)) if union else [],
            "my_observations": list(selectors.observations_by(user, body)) if union else [],
        },
    )


@login_required
@require_GET
def information_detail(request, pk: int):
    information = _information_or_404(request.user, pk)
    return render(
        request, "approvals/consultation/information.html", _information_context(request, information)
    )


@login_required
@require_GET
def information_letter(request, pk: int):
    information = _information_or_404(request.user, pk)
    return render(
        request,
        "approvals/consultation/letter.html",
        {
            "nav": "consultation",
            "information": information,
            "objectives": _objectives_of(request.user, information),
            "period_end": selectors.information_period_end(information),
        },
    )


@login_required
@require_GET
def information_letter_pdf(request, pk: int):
    """The same letter as a PDF, made on request (WeasyPrint)."""
    information = _information_or_404(request.user, pk)
    html = render_to_string(
        "approvals/consultation/letter_pdf.html",
        {
            "information": information,
            "objectives": _objectives_of(request.user, information),
            "period_end": selectors.information_period_end(information),
        },
        request=request,
    )
    from weasyprint import HTML  # loads Pango only when a PDF is made

    sent = timezone.localtime(information.sent_at)
    name = f"informazione-sindacale-{information.body.ipa_code}-{sent:%Y%m%d}-{information.pk}.pdf"
    return FileResponse(
        io.BytesIO(HTML(string=html, base_url=".").write_pdf()),
        as_attachment=True,
        filename=name,
        content_type="application/pdf",
    )


@login_required
@require_GET
def objective_information(request, pk: int):
    """Where a notification of the consultation leads: the information on this objective."""
    try:
        objective = objective_get(request.user, pk)
    except Objective.DoesNotExist as exc:
        raise Http404 from exc
    information = selectors.current_information(objective)
    if (
        information is None
        or not selectors.informations_visible_to(request.user).filter(pk=information.pk).exists()
    ):
        return redirect("workflow:objective_detail", pk=pk)
    return redirect("approvals:information_detail", pk=information.pk)


# -- actions -----------------------------------------------------------------------------------------------
@login_required
@require_POST
def request_confronto(request, pk: int):
    information = _information_or_404(request.user, pk)
    form = ConfrontoRequestForm(request.POST, auto_id="id_richiesta-%s")
    if not form.is_valid():
        context = _information_context(request, information, request_form=form)
        return render(request, "approvals/consultation/information.html", context, status=400)
    try:
        services.confronto_request(information_id=pk, text=form.cleaned_data["text"], by=request.user)
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except UnionInformation.DoesNotExist as exc:
        raise Http404 from exc
    except errors.WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("approvals:information_detail", pk=pk)
    messages.success(request, "Richiesta di confronto registrata: la Segreteria Generale è stata avvisata.")
    return redirect("approvals:information_detail", pk=pk)


@login_required
@require_POST
def record_meeting(request, pk: int):
    information = _information_or_404(request.user, pk)
    if not access.is_segreteria(request.user, information.body_id):
        raise PermissionDenied(services.MEETING_SEGRETERIA_ONLY)
    form = MeetingForm(request.POST, request.FILES, information=information, auto_id="id_incontro-%s")
    if not form.is_valid():
        context = _information_context(request, information, meeting_form=form)
        return render(request, "approvals/consultation/information.html", context, status=400)
    data = form.cleaned_data
    try:
        services.meeting_record(
            information_id=pk,
            held_on=data["held_on"],
            participants=data["participants"],
            minutes=data["minutes"],
            attachment=data.get("attachment"),
            by=request.user,
        )
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except UnionInformation.DoesNotExist as exc:
        raise Http404 from exc
    except errors.WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("approvals:information_detail", pk=pk)
    messages.success(request, "Incontro registrato.")
    return redirect("approvals:information_detail", pk=pk)


@login_required
@require_GET
def meeting_attachment(request, pk: int):
    try:
        meeting = selectors.meeting_get(request.user, pk)
    except Meeting.DoesNotExist as exc:  # not there, or another body's
        raise Http404 from exc
    stored = meeting.attachment
    if stored is None:
        raise Http404
    response = FileResponse(
        io.BytesIO(bytes(stored.content)),
        as_attachment=True,
        filename=f"verbale-incontro-{meeting.pk}.pdf",
        content_type="application/pdf",  # the only kind the form accepts
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def post_observation(request, pk: int):
    """An observation (union representatives) or an answer (responsible dirigente, Segreteria) on the
    objective's thread. There is no edit: a correction is a new post."""
    try:
        objective = objective_get(request.user, pk)
    except Objective.DoesNotExist as exc:
        raise Http404 from exc
    form = ObservationForm(request.POST)
    anchor = reverse("workflow:objective_detail", args=[objective.pk]) + "#consultazione"
    if not form.is_valid():
        message = " ".join(m for msgs in form.errors.values() for m in msgs)
        return _objective_page_with_error(request, objective, message, request.POST.get("reply_to"))
    try:
        services.observation_post(
            objective_id=objective.pk,
            text=form.cleaned_data["text"],
            reply_to_id=form.cleaned_data.get("reply_to"),
            by=request.user,
        )
    except errors.Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except Objective.DoesNotExist as exc:
        raise Http404 from exc
    except errors.InvalidInput as exc:
        return _objective_page_with_error(request, objective, exc.message, form.cleaned_data.get("reply_to"))
    except errors.WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(anchor)
    answer = form.cleaned_data.get("reply_to") is not None
    messages.success(request, "Risposta pubblicata." if answer else "Osservazione pubblicata.")
    return redirect(anchor)


def _objective_page_with_error(request, objective, message: str, reply_to):
    """The objective's page again, the message next to the text of the post that was refused (400)."""
    from workflow.views.pages import detail_context

    context = detail_context(request, objective)
    panel = context.get("consultation")
    if panel is not None:
        panel["error"] = message
        panel["error_for"] = str(reply_to or "")
        panel["draft_text"] = request.POST.get("text", "")
    else:
        messages.error(request, message)
    return render(request, "workflow/objective_detail.html", context, status=400)
