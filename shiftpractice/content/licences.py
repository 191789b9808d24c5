"""The licences published learning is offered under, declared once: the case study's consent form, the library's
materials, their "cite this" text and the library's page on what each licence allows all read this."""

from dataclasses import dataclass

from django.db import models


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", "Creative Commons Attribution 4.0 (CC BY 4.0)"
    CC_BY_SA = "cc-by-sa-4.0", "Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)"
    CC_BY_NC = "cc-by-nc-4.0", "Creative Commons Attribution-NonCommercial 4.0 (CC BY-NC 4.0)"
    CC_BY_NC_SA = (
        "cc-by-nc-sa-4.0",
        "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 (CC BY-NC-SA 4.0)",
    )
    OGL = "ogl-3.0", "Open Government Licence v3.0"
    ALL_RIGHTS = "all-rights-reserved", "All rights reserved: read here, ask before reusing"


DEFAULT_LICENCE = Licence.CC_BY


@dataclass(frozen=True)
class LicenceTerms:
    short: str  # what a citation or a badge shows
    url: str
    allows: str  # in plain words, for the library's "what each licence allows"


TERMS = {
    Licence.CC_BY: LicenceTerms(
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        "Anyone may copy, share and adapt it, for any purpose, commercial or not, as long as they credit the authors "
        "and say if they changed it.",
    ),
    Licence.CC_BY_SA: LicenceTerms(
        "CC BY-SA 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "Anyone may copy, share and adapt it for any purpose, crediting the authors, and must share what they make "
        "from it under the same licence.",
    ),
    Licence.CC_BY_NC: LicenceTerms(
        "CC BY-NC 4.0",
        "https://creativecommons.org/licenses/by-nc/4.0/",
        "Anyone may copy, share and adapt it, crediting the authors, but not for commercial purposes.",
    ),
    Licence.CC_BY_NC_SA: LicenceTerms(
        "CC BY-NC-SA 4.0",
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        "Anyone may copy, share and adapt it, crediting the authors, not for commercial purposes, and must share "
        "what they make from it under the same licence.",
    ),
    Licence.OGL: LicenceTerms(
        "OGL v3.0",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "Anyone may copy, publish, adapt and use it commercially or not, acknowledging the source as the licence asks.",
    ),
    Licence.ALL_RIGHTS: LicenceTerms(
        "All rights reserved",
        "",
        "It may be read and linked to; copying or adapting it needs the permission of the people who hold the rights.",
    ),
}


def terms(code: str) -> LicenceTerms:
    return TERMS.get(code, TERMS[DEFAULT_LICENCE])
