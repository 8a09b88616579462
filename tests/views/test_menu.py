import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

TRANSMISSION_ENTRY = 'href="{url}"><span>Trasmissione</span>'


@pytest.mark.parametrize("who", ["segreteria", "segretario"])
def test_the_segreteria_reaches_the_transmission_page_from_the_main_menu(client, plan, people, who):
    client.force_login(people[who])
    url = reverse("approvals:transmission_page")
    assert TRANSMISSION_ENTRY.format(url=url) in client.get(reverse("workflow:dashboard")).content.decode()
    page = client.get(url).content.decode()
    assert f'href="{url}" aria-current="page"><span>Trasmissione</span>' in page


@pytest.mark.parametrize(
    "who", ["dirigente_satta", "funzionario_bianchi", "revisore", "sindacato", "amministratore"]
)
def test_roles_that_do_not_transmit_have_no_transmission_entry(client, plan, people, who):
    client.force_login(people[who])
    page = client.get(reverse("workflow:dashboard")).content.decode()
    assert "<span>Trasmissione</span>" not in page


MONITORING_ENTRY = 'href="{url}"><span>Monitoraggio</span>'


@pytest.mark.parametrize(
    "who", ["dirigente_satta", "funzionario_bianchi", "segreteria", "segretario", "revisore"]
)
def test_who_reads_or_fills_the_reports_reaches_the_monitoring_from_the_main_menu(client, plan, people, who):
    client.force_login(people[who])
    url = reverse("workflow:my_reports")
    assert MONITORING_ENTRY.format(url=url) in client.get(reverse("workflow:dashboard")).content.decode()
    page = client.get(url).content.decode()
    assert f'href="{url}" aria-current="page"><span>Monitoraggio</span>' in page


@pytest.mark.parametrize("who", ["sindacato", "amministratore"])
def test_the_unions_and_the_amministratore_have_no_monitoring_entry(client, plan, people, who):
    client.force_login(people[who])
    assert "<span>Monitoraggio</span>" not in client.get(reverse("workflow:dashboard")).content.decode()
