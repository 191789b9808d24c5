from django.db import models


class Kind(models.TextChoices):
    PILLAR = "pillar", "Pillar"
    LENS = "lens", "Lens"
    PROMPT = "prompt", "Prompt"
    TOOL = "tool", "Tool"
    STAGE = "stage", "Journey stage"
    INSTRUMENT = "instrument", "Instrument"
    INDICATOR = "indicator", "Indicator"
    FACTOR_SET = "factor_set", "Carbon factor set"


# Headings over several items of a kind ("Lenses", never "Lenss").
KIND_PLURAL = {
    Kind.PILLAR: "Pillars",
    Kind.LENS: "Lenses",
    Kind.PROMPT: "Prompts",
    Kind.TOOL: "Tools",
    Kind.STAGE: "Journey stages",
    Kind.INSTRUMENT: "Instruments",
    Kind.INDICATOR: "Indicators",
    Kind.FACTOR_SET: "Carbon factor sets",
}

# Slugs carry their kind as a prefix ("lens.systems") so a reference "slug@version" is unambiguous
# on its own, wherever another app stores it.
KIND_PREFIX = {
    Kind.PILLAR: "pillar",
    Kind.LENS: "lens",
    Kind.PROMPT: "prompt",
    Kind.TOOL: "tool",
    Kind.STAGE: "stage",
    Kind.INSTRUMENT: "instrument",
    Kind.INDICATOR: "indicator",
    Kind.FACTOR_SET: "factors",
}

# The order kinds are shown in, on version pages and in diffs.
KIND_ORDER = [
    Kind.PILLAR,
    Kind.LENS,
    Kind.STAGE,
    Kind.PROMPT,
    Kind.TOOL,
    Kind.INSTRUMENT,
    Kind.INDICATOR,
    Kind.FACTOR_SET,
]


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Pillar(models.TextChoices):
    """The pillars of the activist workplace change model, from the 2020 proposal."""

    PDSA = "pdsa", "PDSA"
    ORG_LEARNING = "org-learning", "Organisational learning"
    PEER_SUPPORT = "peer-support", "Peer support"
    SYSTEMS = "systems", "Systems"
    RESILIENCE = "resilience", "Resilience"
    EQUALITY = "equality", "Equality"
    ECOLOGY = "ecology", "Ecology"
    INFLUENCE = "influence", "Influence and activism"


# The four sustainable-development concepts the proposal groups together.
SUSTAINABLE_DEVELOPMENT = [Pillar.SYSTEMS, Pillar.RESILIENCE, Pillar.EQUALITY, Pillar.ECOLOGY]


class LicenceFlag(models.TextChoices):
    """How we may use a source (see model-frameworks.md section 6)."""

    OWN = "own", "Our own text"
    EMBEDDABLE = "embeddable", "Free to embed, with attribution"
    EMBEDDABLE_WITH_CITATION = "embeddable_with_citation", "Facts from published sources: cite"
    EMBEDDABLE_WITH_ATTRIBUTION = "embeddable_with_attribution", "Open access: credit the authors"
    SHARE_ALIKE = "share_alike", "Share-alike licence: adaptations use the same licence"
    PARAPHRASE_ONLY = "paraphrase_only", "Ideas free, text copyright: paraphrased and credited"
    LINK_AND_PARAPHRASE = "link_and_paraphrase", "Paraphrased and linked"
    PARAPHRASE_WITH_CITATION = "paraphrase_with_citation", "Public policy text: paraphrased and cited"
    EMBEDDABLE_METHOD = "embeddable_method", "Free method"
    LICENCE_GATED = "licence_gated", "Free, but each organisation must register for a licence"
    CHECK_PERMISSION = "check_permission", "Permission to be checked before use"
