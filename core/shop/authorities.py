"""Default data-protection supervisory authority per country (the owner can edit it in Settings)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Authority:
    name: str
    contact: str  # a web address customers can use to complain


_AUTHORITIES: dict[str, Authority] = {
    "GB": Authority("Information Commissioner's Office (ICO)", "ico.org.uk/make-a-complaint"),
    "IE": Authority("Data Protection Commission (DPC)", "dataprotection.ie"),
    "DE": Authority("the data protection authority of your German state (Landesdatenschutzbehörde)", "bfdi.bund.de"),
    "FR": Authority("Commission nationale de l'informatique et des libertés (CNIL)", "cnil.fr/plaintes"),
    "ES": Authority("Agencia Española de Protección de Datos (AEPD)", "aepd.es"),
    "IT": Authority("Garante per la protezione dei dati personali", "garanteprivacy.it"),
    "PL": Authority("Prezes Urzędu Ochrony Danych Osobowych (UODO)", "uodo.gov.pl"),
    "NL": Authority("Autoriteit Persoonsgegevens (AP)", "autoriteitpersoonsgegevens.nl"),
    "PT": Authority("Comissão Nacional de Proteção de Dados (CNPD)", "cnpd.pt"),
    "BE": Authority(
        "Autorité de protection des données / Gegevensbeschermingsautoriteit", "dataprotectionauthority.be"
    ),
    "AT": Authority("Österreichische Datenschutzbehörde (DSB)", "dsb.gv.at"),
    "SE": Authority("Integritetsskyddsmyndigheten (IMY)", "imy.se"),
    "DK": Authority("Datatilsynet", "datatilsynet.dk"),
    "FI": Authority("Office of the Data Protection Ombudsman", "tietosuoja.fi"),
    "GR": Authority("Hellenic Data Protection Authority (HDPA)", "dpa.gr"),
    "CZ": Authority("Úřad pro ochranu osobních údajů (ÚOOÚ)", "uoou.gov.cz"),
    "RO": Authority("Autoritatea Națională de Supraveghere (ANSPDCP)", "dataprotection.ro"),
    "BR": Authority("Autoridade Nacional de Proteção de Dados (ANPD)", "gov.br/anpd"),
    "US": Authority("California Privacy Protection Agency (CPPA), for California residents", "cppa.ca.gov"),
    "CA": Authority("Office of the Privacy Commissioner of Canada", "priv.gc.ca"),
    "AU": Authority("Office of the Australian Information Commissioner (OAIC)", "oaic.gov.au"),
    "NZ": Authority("Office of the Privacy Commissioner", "privacy.org.nz"),
    "CH": Authority("Federal Data Protection and Information Commissioner (FDPIC)", "edoeb.admin.ch"),
    "NO": Authority("Datatilsynet", "datatilsynet.no"),
    "UA": Authority("Ukrainian Parliament Commissioner for Human Rights", "ombudsman.gov.ua"),
    "VN": Authority("Department of Cybersecurity and High-Tech Crime Prevention (A05)", "bocongan.gov.vn"),
    "IN": Authority("Data Protection Board of India", "meity.gov.in"),
    "JP": Authority("Personal Information Protection Commission (PPC)", "ppc.go.jp"),
}


def default_authority(country: str) -> Authority | None:
    """The authority a customer in this country complains to, or None when we do not know it (owner fills in)."""
    return _AUTHORITIES.get(country.upper())


# GDPR treats the whole European Economic Area as one place: sending data from Poland to Germany is no transfer.
EEA = frozenset(
    {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT",
     "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"}
)  # fmt: skip


def transfer_area(country: str) -> str:
    """Where information stays unless the notice names a transfer: 'the EU/EEA' for a shop there."""
    return "the EU/EEA" if country.upper() in EEA else "the country"
