"""The default model, "v1 pilot", as plain data for migration 0002. Frozen with that migration: change the
model through new versions in the app, never by editing this file.

Every text is our own wording. The research behind it is docs/model-frameworks.md (shared docs); the
sources below are the ones that research cites. ``accessed`` is the date those research notes were taken
into the project, not a fresh reading: whoever verifies an item re-reads the source and records it.

Items whose source says "verify" (the carbon factor sets and SWEMWBS's conversion table) are loaded as
drafts awaiting verification and are not part of v1 (see docs/content.md).

In an item, a source is a key of SOURCES, or a (key, note) pair: the pair marks that citation "verify", so
the item loads as a draft awaiting a recorded check.

The module name starts with an underscore so Django's migration loader skips it.
"""

ACCESSED = "2026-11-26"

SOURCES = {
    "proposal": (
        "Q community. Shifting mindsets, shifting practice. Q Exchange 2020 proposal (Dr Claire Bastin, Dr Jen Dyer; "
        "Yorkshire & Humber Improvement Academy with NIFTY Sustainability).",
        "https://q.health.org.uk/idea/2020/shifting-mindsets-shifting-practice/",
    ),
    "susqi-value": (
        "Mortimer F, Isherwood J, Wilkinson A, Vaux E. Sustainability in quality improvement: redefining value. "
        "Future Healthcare Journal 2018;5(2):88-93.",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC6502556",
    ),
    "susqi-impact": (
        "Mortimer F et al. Sustainability in quality improvement: measuring impact. Future Healthcare Journal "
        "2018;5(2):94-97.",
        "https://www.rcpjournals.org/content/futurehosp/5/2/94",
    ),
    "csh-principles": (
        "Centre for Sustainable Healthcare. Principles of sustainability in quality improvement.",
        "https://sustainablehealthcare.org.uk/what-we-do/principles-of-sustainability-in-quality-improvement",
    ),
    "mortimer-2010": (
        "Mortimer F. The sustainable physician. Clinical Medicine 2010;10(2):110-11.",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC4952075",
    ),
    "susqi-templates": (
        "Centre for Sustainable Healthcare. SusQI templates (adaptable with credit to CSH).",
        "https://www.susqi.org/templates",
    ),
    "meadows": (
        "Meadows D. Leverage points: places to intervene in a system. 1999 (summary).",
        "https://marc.relocalizecreativity.net/leverage-points.html",
    ),
    "iceberg": (
        "The systems thinking iceberg model (summary).",
        "https://pianabianco.com/inout/iceberg-model/",
    ),
    "causal-loops": (
        "Making your system visible: causal loop diagrams (summary).",
        "https://docsbay.net/making-your-system-visible-causal-loop-diagrams",
    ),
    "senge": (
        "Senge P. The Fifth Discipline, 1990 (summary).",
        "https://www2.educationfutures.com/blog/2004/11/the-fifth-discipline/",
    ),
    "blanchet": (
        "Blanchet K et al. Health system resilience: absorb, adapt, transform. International Journal of Health "
        "Policy and Management, 2017.",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC5553211",
    ),
    "barasa": (
        "Barasa E, Cloete K, Gilson L. From bouncing back, to nurturing emergence. Health Policy and Planning, 2017.",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC6626547",
    ),
    "core20": (
        "NHS England. Core20PLUS5: evidence for the five clinical priorities.",
        "https://www.england.nhs.uk/about/equality/equality-hub/national-healthcare-inequalities-improvement-programme/core20plus5/evidence-for-the-five-clinical-priorities/",
    ),
    "marmot": (
        "Marmot M et al. Fair Society, Healthy Lives (2010) and the later Marmot Principles (summary).",
        "https://equitycolab.org/resources/fair-society-healthy-lives-the-marmott-review",
    ),
    "doughnut": (
        "Doughnut Economics Action Lab. Doughnut Unrolled: four lenses (2022), summarised. Licensed CC BY-SA 4.0.",
        "https://pat-kane-xcjl.squarespace.com/dailyalternative/2022/4/24/doughtnut-unrolled-four-lenses?format=amp",
    ),
    "gsp": (
        "NHS England. Green social prescribing.",
        "https://www.england.nhs.uk/personalisedcare/social-prescribing/green-social-prescribing/",
    ),
    "covey": (
        "Covey S. The 7 Habits of Highly Effective People, 1989: circles of concern and influence (summary).",
        "https://macropraxis.org/effectiveness/circle-of-control",
    ),
    "mendelow": (
        "Mendelow's power/interest grid (summary).",
        "https://catargettestprep.com/learn/p6/strategic-management---stakeholder-analysis/mendelow-s-matrix--power-interest-grid",
    ),
    "new-power": (
        "Heimans J, Timms H. New power. Harvard Business Review, December 2014 (summary by NHS Horizons).",
        "http://horizonsnhs.com/understanding-new-power/",
    ),
    "horizons": ("NHS Horizons. School for Change Agents.", "https://horizonsnhs.com/school/"),
    "argyris": (
        "Argyris C, Schön D. Theories of action and double-loop learning, 1974 and 1978 (summary).",
        "https://theodorabeck.wixsite.com/maresearch/post/theories-of-action-double-loop-learning-and-organizational-learning-chris-argris",
    ),
    "triple-loop": (
        "Single, double and triple loop learning (summary of the later triple-loop writing).",
        "https://johnsohn.dk/2019/07/29/single-and-double-loop-learning-triple-loop-learning",
    ),
    "sharpe": (
        "Sharpe B. Three Horizons: The Patterning of Hope. Triarchy Press, 2013 (summary).",
        "https://wearewithin.com/creation-tools/three-horizons",
    ),
    "bbb": (
        "Build Back Better UK coalition. What we want, 2020.",
        "https://www.buildbackbetteruk.org/what-we-want",
    ),
    "ganz": (
        "Ganz M. Public narrative: self, us and now (worksheet and working paper).",
        "https://leadingchangenetwork.org/resource_center/what-is-public-narrative-self-us-and-now-public-narrative-worksheet-working-paper/",
    ),
    "langley": (
        "Langley GJ et al. The Improvement Guide, 1996/2009: the Model for Improvement (summary by NHS Education "
        "for Scotland).",
        "https://learn.nes.nhs.scot/scorm/courses/module0001334file0001137//t4p3.html?r=7",
    ),
    "pdsa-worksheet": (
        "PDSA planning worksheet (improvementskills.org), derived from IHI forms.",
        "https://www.improvementskills.org/wordpress/pdsa-planning-worksheet/",
    ),
    "anhoj": (
        "Anhøj J, Olesen AV. Run chart rules, a simulation study. PLoS ONE, 2014.",
        "https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0113825",
    ),
    "revans": (
        "Action Learning and Action Research (ALARA): how action learning works (Revans).",
        "http://www.alm-vol.org.uk/What+is+Action+Learning/How+Action+Learning+works/",
    ),
    "triads": ("What is a coaching triad?", "https://www.coachtriads.com/what-is-a-coaching-triad/"),
    "grow": (
        "Whitmore J. Coaching for Performance, 1992: the GROW model (summary).",
        "https://notes.lwkz.xyz/the_GROW_model_coaching_framework_20220416200535",
    ),
    "ihi-scale": (
        "Institute for Healthcare Improvement / Associates in Process Improvement: project progress scale from the "
        "Breakthrough Series (summary).",
        "https://iecodesign.com/blog/2017/2/13/improvement-project-progress-on-a-1-to-5-scalepart-1",
    ),
    "lifeqi-scale": ("Life QI. IHI progress scores.", "https://blog.lifeqisystem.com/ihi-progress-scores"),
    "outcome-harvesting": (
        "Wilson-Grau R, Britt H. Outcome harvesting, 2012 (BetterEvaluation).",
        "https://www.betterevaluation.org/methods-approaches/approaches/outcome-harvesting",
    ),
    "msc": (
        "Davies R, Dart J. The Most Significant Change technique: a guide to its use, 2005.",
        "https://1library.net/document/z3ne6xeq-most-significant-change-guide-pdf.html",
    ),
    "impact-framework": (
        "NHS England. Impact Framework, step 4: the impact story.",
        "https://www.england.nhs.uk/sustainableimprovement/impact-framework/step-4/",
    ),
    "squire": ("SQUIRE 2.0 reporting guidelines.", "https://pmc.ncbi.nlm.nih.gov/articles/PMC4625997"),
    "kirkpatrick": (
        "Kirkpatrick's four levels of training evaluation (summary).",
        "https://www.avatto.com/question/ugc-net-commerce-december-2018-q50",
    ),
    "school-review": (
        "CIPD impact review of the School for Health and Care Radicals, 2015.",
        "https://www.slideshare.net/TheEdgeNHS/shcr-review-2015-main-report/1",
    ),
    "rnao": (
        "RNAO Leading Change Toolkit: social movement framework, check your progress.",
        "https://rnao.ca/leading-change-toolkit/social-movement-framework/check-your-progress-8",
    ),
    "ons4": (
        "Government Statistical Service. Personal well-being harmonised standard (the ONS4 questions).",
        "https://gss.civilservice.gov.uk/policy-store/personal-well-being/",
    ),
    "gse": (
        "Schwarzer R, Jerusalem M. General Self-Efficacy Scale, 1995.",
        "https://emerge.ucsd.edu/r_wsq1rb2aso7itd3/",
    ),
    "richardson-rees": (
        "Richardson and Rees. Confidence to do improvement, BMJ Open Quality 2025, doi:10.1136/bmjoq-2024-003130.",
        "https://doi.org/10.1136/bmjoq-2024-003130",
    ),
    "swemwbs": (
        "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS), What Works Wellbeing measures bank.",
        "https://measure.whatworkswellbeing.org/measures-bank/swemwbs/",
    ),
    "swemwbs-guidance": (
        "University of Warwick. WEMWBS guidance for researchers: scoring and the raw-to-metric conversion "
        "(Stewart-Brown et al. 2009).",
        "https://warwick.ac.uk/fac/med/research/platform/wemwbs/researchers/guidance/",
    ),
    "desnz": (
        "Department for Energy Security and Net Zero. Government conversion factors for company reporting of "
        "greenhouse gas emissions (collection).",
        "https://www.gov.uk/government/collections/government-conversion-factors-for-company-reporting",
    ),
    "rizan": (
        "Rizan C, Bhutta MF, Reed M, Lillywhite R. The carbon footprint of waste streams in a UK hospital. "
        "Journal of Cleaner Production, 2021.",
        "https://sussex.figshare.com/articles/journal_contribution/The_carbon_footprint_of_waste_streams_in_a_UK_hospital/23485652",
    ),
    "nice-inhalers": (
        "NICE patient decision aid on asthma inhalers and climate change, 2019 (as reported).",
        "https://healthcare-newsdesk.co.uk/nice-decision-aid-encourages-choice-of-greener-asthma-inhalers/",
    ),
}

# Licence records, by the flags of model-frameworks.md section 6.
OWN = {"flag": "own", "name": "shiftpractice content (our own wording)", "url": "", "attribution": ""}
PARAPHRASE = {
    "flag": "paraphrase_only",
    "name": "Ideas are free to use; the original texts are copyright. Paraphrased in our own words and credited.",
    "url": "",
    "attribution": "",
}
SUSQI = {
    "flag": "embeddable_with_attribution",
    "name": "Centre for Sustainable Healthcare: open access, adaptable with credit",
    "url": "https://www.susqi.org/educators-pack",
    "attribution": "Adapted from the Sustainability in Quality Improvement (SusQI) approach of the Centre for "
    "Sustainable Healthcare.",
}
POLICY = {
    "flag": "paraphrase_with_citation",
    "name": "Public policy and campaign text, paraphrased and cited",
    "url": "",
    "attribution": "",
}
CC_BY_SA = {
    "flag": "share_alike",
    "name": "Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)",
    "url": "https://creativecommons.org/licenses/by-sa/4.0/",
    "attribution": "The four Doughnut lenses are adapted from Doughnut Unrolled by Doughnut Economics Action Lab, "
    "licensed CC BY-SA 4.0. This adaptation is shared under the same licence.",
}
HORIZONS = {
    "flag": "link_and_paraphrase",
    "name": "NHS Horizons materials: linked and paraphrased, not copied",
    "url": "",
    "attribution": "",
}
IHI = {
    "flag": "paraphrase_only",
    "name": "IHI / API wording is copyright; the levels are described in our own words",
    "url": "",
    "attribution": "Based on the project progress scale of the IHI Breakthrough Series (Institute for Healthcare "
    "Improvement and Associates in Process Improvement).",
}
METHOD = {"flag": "embeddable_method", "name": "A free method, credited", "url": "", "attribution": ""}
OGL = {
    "flag": "embeddable",
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "attribution": "Contains public sector information licensed under the Open Government Licence v3.0: UK "
    "Government GHG Conversion Factors for Company Reporting, Department for Energy Security and Net Zero.",
}
CITED_FACTS = {
    "flag": "embeddable_with_citation",
    "name": "Figures from published sources, cited (the papers are not reproduced)",
    "url": "",
    "attribution": "",
}
ONS = {
    "flag": "embeddable",
    "name": "Free to use: cite the ONS personal well-being questions and tell ONS (qualityoflife@ons.gov.uk)",
    "url": "https://gss.civilservice.gov.uk/policy-store/personal-well-being/",
    "attribution": "Office for National Statistics personal well-being questions (ONS4).",
}
GSE = {
    "flag": "embeddable",
    "name": "Free to use without permission; cite the authors",
    "url": "https://emerge.ucsd.edu/r_wsq1rb2aso7itd3/",
    "attribution": "General Self-Efficacy Scale, Schwarzer R and Jerusalem M, 1995.",
}
SWEMWBS = {
    "flag": "licence_gated",
    "name": "Free, but each organisation must register for a licence with the University of Warwick",
    "url": "https://warwick.ac.uk/fac/med/research/platform/wemwbs/",
    "attribution": "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS) © University of Warwick, University of "
    "Edinburgh and NHS Health Scotland. All rights reserved.",
}


def _pillar(name, title, group, summary, body, sources=("proposal",)):
    return {
        "slug": f"pillar.{name}",
        "kind": "pillar",
        "title": title,
        "summary": summary,
        "body": body,
        "schema": {"group": group},
        "pillars": [name],
        "sources": list(sources),
        "licence": OWN,
    }


PILLARS = [
    _pillar(
        "pdsa",
        "PDSA",
        "method",
        "Small, planned tests of change, each one a question you can answer with data.",
        "Plan a small test, do it, study what happened against what you predicted, then act: adopt, adapt or "
        "abandon the change. Tests start small and grow as confidence grows.",
        ("proposal", "langley"),
    ),
    _pillar(
        "org-learning",
        "Organisational learning",
        "method",
        "Noticing not only whether a change worked, but what it teaches about the rules and beliefs behind it.",
        "Teams learn when they question what they are trying to achieve and why, not only how they do it. The "
        "learning-loops lens asks which kind of learning a cycle produced.",
        ("proposal", "argyris", "senge"),
    ),
    _pillar(
        "peer-support",
        "Peer support",
        "method",
        "People doing similar work help each other think, by asking questions rather than giving answers.",
        "Participants meet in triads and action learning sets between workshops, and are coached by telephone "
        "and email. Changing practice can be unsettling; peers make it easier to keep going.",
        ("proposal", "revans", "triads"),
    ),
    _pillar(
        "systems",
        "Systems",
        "sustainable development",
        "Seeing the patterns, structures and beliefs that keep a problem in place.",
        "A change that treats only the event tends not to last. Looking for loops, delays and leverage points "
        "shows where effort is most likely to shift things.",
        ("proposal", "meadows", "iceberg"),
    ),
    _pillar(
        "resilience",
        "Resilience",
        "sustainable development",
        "Helping services and communities cope with shocks and everyday strain, and come out stronger.",
        "Resilience is an ability a system has, not a finishing line: to absorb a blow, adapt to it, or "
        "transform because of it.",
        ("proposal", "blanchet", "barasa"),
    ),
    _pillar(
        "equality",
        "Equality",
        "sustainable development",
        "Asking who gains and who loses, and reaching the people with the worst access and outcomes.",
        "Improvement that helps only the people already well served can widen gaps. This pillar keeps "
        "fairness in view from the goal to the measures.",
        ("proposal", "core20", "marmot"),
    ),
    _pillar(
        "ecology",
        "Ecology",
        "sustainable development",
        "Care that respects the living world, locally and globally.",
        "Healthcare has an environmental footprint, and nature can be part of care. This pillar asks both "
        "what a change costs the planet and what it could give back.",
        ("proposal", "doughnut", "gsp"),
    ),
    _pillar(
        "influence",
        "Influence and activism",
        "thread",
        "The thread through every pillar: knowing your own influence and using it with others.",
        "The proposal describes the shift as unsettling because it draws attention to personal impact and "
        "influence. Each stage of the journey asks who you need to bring with you and how.",
        ("proposal", "horizons", "covey"),
    ),
]


def _lens(name, title, summary, body, questions, tools, pillars, sources, licence=PARAPHRASE):
    return {
        "slug": f"lens.{name}",
        "kind": "lens",
        "title": title,
        "summary": summary,
        "body": body,
        "schema": {"questions": questions, "tools": tools},
        "pillars": pillars,
        "sources": sources,
        "licence": licence,
    }


LENSES = [
    _lens(
        "sustainable-value",
        "Sustainable value",
        "Weigh what a change does for patients and populations against its environmental, social and financial "
        "costs, each shown on its own.",
        "Sustainable value puts outcomes for patients and populations beside three kinds of cost or impact: "
        "environmental, social and financial (the triple bottom line). It is a way of thinking each term "
        "through in turn. We never turn it into a single score: the four parts are shown side by side.",
        [
            "What outcome does this change bring for patients or the population, and how will you know?",
            "What does it do to environmental impact, such as carbon, waste or water?",
            "Who is affected socially, staff, patients and carers, and how?",
            "What does it cost or save?",
        ],
        ["tool.sustainable-value-calculator", "tool.value-process-map", "tool.impact-log"],
        ["pdsa", "ecology", "equality"],
        ["susqi-value", "susqi-impact"],
        SUSQI,
    ),
    _lens(
        "four-principles",
        "Four principles of sustainable care",
        "Four ways a change can make care more sustainable: prevention, empowerment and self-care, lean "
        "pathways and low-carbon alternatives.",
        "The four principles are a checklist for design. **Prevention** tackles the causes of ill health and "
        "catches co-benefits. **Empowerment and self-care** gives patients a larger part in their own care. "
        "**Lean pathways** remove low-value steps and move information instead of people. **Low-carbon "
        "alternatives** choose treatments and technologies with a smaller footprint.",
        [
            "Which of prevention, empowerment and self-care, lean pathways or low-carbon alternatives does this use?"
        ],
        ["tool.driver-diagram"],
        ["pdsa", "ecology"],
        ["mortimer-2010", "csh-principles"],
        SUSQI,
    ),
    _lens(
        "systems",
        "Systems",
        "Look beneath the event to the patterns, structures and beliefs that produce it, and find where a "
        "change has most leverage.",
        "The iceberg separates what happened from what keeps happening, the structures that cause it and the "
        "assumptions that hold those structures in place. Meadows' list of leverage points runs from changing "
        "numbers (easy, weak) to changing goals and mindsets (hard, powerful). Loops that reinforce or balance "
        "each other explain why some problems come back.",
        [
            "At which level of the iceberg does this change act: event, pattern, structure or mental model?",
            "Which leverage point does it use, from 12 (numbers) to 1 (going beyond paradigms)?",
            "Which loops keep the problem going, and where are the delays?",
        ],
        ["tool.iceberg", "tool.leverage-points", "tool.causal-loop-sketch"],
        ["systems"],
        ["iceberg", "meadows", "causal-loops"],
    ),
    _lens(
        "resilience",
        "Resilience",
        "Ask which shocks or everyday strains the change helps a service or community to absorb, adapt to or "
        "transform through.",
        "Health-system resilience is described as the capacity to absorb, adapt and transform when shocks come. "
        "Everyday resilience is about chronic strain, and rests on both hardware (money, buildings, equipment) "
        "and software (leadership, relationships, values and culture).",
        [
            "What shock or strain does this help your service or community absorb, adapt to, or transform through?",
            "Does it build hardware (resources, infrastructure) or software (relationships, leadership, culture)?",
        ],
        ["tool.stakeholder-map"],
        ["resilience"],
        ["blanchet", "barasa"],
    ),
    _lens(
        "equality",
        "Equality",
        "Check who the change reaches, who gains and who could lose out, with the Core20PLUS5 groups and the "
        "Marmot principles in mind.",
        "Core20 is the most deprived fifth of the population; PLUS groups are chosen locally because their "
        "access, experience or outcomes are worse. The Marmot principles name the social conditions that shape "
        "health, from the start of life to fair work and healthy places. A scan of social impact by group "
        "makes the gains and losses visible.",
        [
            "Does this reach Core20 or PLUS groups?",
            "Which Marmot principle does it serve?",
            "Which groups gain, and which could lose out?",
        ],
        ["tool.sustainability-scans"],
        ["equality"],
        ["core20", "marmot", "susqi-templates"],
        POLICY,
    ),
    _lens(
        "ecology",
        "Ecology",
        "Look at the change through four lenses, local and global, social and ecological, and ask whether "
        "nature could be part of the answer.",
        "The four lenses ask how the people here can thrive, how this place can be as generous as the wild "
        "nature next to it, how it can respect people elsewhere, and how it can respect the health of the whole "
        "planet. Green social prescribing is one route: supporting people into nature-based activity for their "
        "health.",
        [
            "How does this help the people here thrive (local, social)?",
            "How does it help this place give back to nature nearby (local, ecological)?",
            "How does it respect the wellbeing of people elsewhere (global, social)?",
            "How does it respect the health of the whole planet (global, ecological)?",
            "Is there a nature-based route, such as green social prescribing?",
        ],
        ["tool.sustainable-value-calculator"],
        ["ecology"],
        ["doughnut", "gsp"],
        CC_BY_SA,
    ),
    _lens(
        "influence-and-power",
        "Influence and power",
        "Map what you control, what you can influence and who holds power, and choose how to use old and new "
        "power to build allies.",
        "Energy spent inside your circle of influence tends to widen it. A power and interest grid shows whose "
        "support matters most. Old power is held by a few and guarded; new power is made by many and shared. "
        "Change agents use both, and build a broad spectrum of allies.",
        [
            "What sits in your circle of control, of influence, and of concern?",
            "Where do the key people sit on the power and interest grid?",
            "Will you use an old-power or a new-power approach, or both?",
            "Who are your allies, and who could become one?",
        ],
        ["tool.circles-map", "tool.stakeholder-map"],
        ["influence"],
        ["covey", "mendelow", "new-power", "horizons"],
    ),
    _lens(
        "learning-loops",
        "Learning loops",
        "Name the kind of learning a cycle produced: doing things better, changing what you aim for, or "
        "changing how you decide what matters.",
        "Single-loop learning changes the method and keeps the goal. Double-loop learning questions the goal, "
        "the norms and the rules. Triple-loop learning, a later development rather than Argyris and Schön's "
        "own idea, looks at how we decide what matters. A gap between what we say guides us and what really "
        "does is often where the learning starts.",
        [
            "Did we do it better (single loop), change what we aim for or the rules (double loop), or change how we "
            "decide what matters (triple loop)?",
            "Where does what we say guides us differ from what we actually do?",
        ],
        ["tool.pdsa-worksheet"],
        ["org-learning"],
        ["argyris", "triple-loop"],
    ),
    _lens(
        "futures",
        "Futures (Three Horizons)",
        "Place the change between today's dominant way of working, a desired future already visible in "
        "pockets, and the moves that carry one to the other.",
        "The first horizon is business as usual, losing its fit over time. The third is the future we want, "
        "already visible in small pockets today. The second is the contested space between: innovations that "
        "either prop up the first horizon or carry the third forward.",
        [
            "What first-horizon practice are you letting go of?",
            "Where is a pocket of the future you want (third horizon)?",
            "Which second-horizon move carries it forward rather than propping up the old way?",
        ],
        ["tool.three-horizons-map"],
        ["systems", "influence"],
        ["sharpe"],
    ),
    _lens(
        "build-back-better",
        "Build Back Better values check",
        "Test the change against five principles for a fair, green recovery.",
        "In 2020 a UK coalition set out five principles for recovery plans: meet everyone's health and basic "
        "needs now and in future; protect and invest in public services; decarbonise while tackling "
        "inequality; invest in people and shift power to workers and communities; build solidarity across "
        "borders so no one is left behind.",
        ["Which of the five principles does this advance, and does it work against any of them?"],
        [],
        ["equality", "ecology", "influence"],
        ["bbb", "proposal"],
        POLICY,
    ),
]

# Tags a participant can pick when answering each lens, so answers can be counted across a cohort.
LENS_TAGS = {
    "sustainable-value": ["Environmental", "Social", "Financial"],
    "four-principles": [
        "Prevention",
        "Patient empowerment and self-care",
        "Lean service delivery",
        "Low-carbon alternatives",
    ],
    "systems": [
        "Parameters and numbers",
        "Feedback loops",
        "Information flows and rules",
        "Goals and paradigms",
    ],
    "resilience": ["Absorbing a shock", "Adapting to strain", "Transforming the system"],
    "equality": [
        "Core20: the most deprived 20%",
        "PLUS groups chosen locally",
        "Maternity",
        "Severe mental illness",
        "Chronic respiratory disease",
        "Early cancer diagnosis",
        "Hypertension",
    ],
    "ecology": [
        "Local and social",
        "Local and ecological",
        "Global and social",
        "Global and ecological",
        "Nature-based route",
    ],
    "influence-and-power": [
        "Circle of control",
        "Circle of influence",
        "Circle of concern",
        "Old power",
        "New power",
    ],
    "learning-loops": ["Single loop", "Double loop", "Triple loop"],
    "futures": ["Horizon 1: letting go", "Horizon 2: the bridge", "Horizon 3: a pocket of the future"],
    "build-back-better": [
        "Health and needs of everyone",
        "Public services",
        "A green and fair transformation",
        "Power to workers and communities",
        "Solidarity, leaving no one behind",
    ],
}
for _lens_item in LENSES:
    _lens_item["schema"]["tags"] = LENS_TAGS.get(_lens_item["slug"].removeprefix("lens."), [])


def _prompt(name, title, summary, questions, pillars, sources, licence=PARAPHRASE, body=""):
    return {
        "slug": f"prompt.{name}",
        "kind": "prompt",
        "title": title,
        "summary": summary,
        "body": body,
        "schema": {"questions": questions},
        "pillars": pillars,
        "sources": sources,
        "licence": licence,
    }


PROMPTS = [
    _prompt(
        "public-narrative",
        "Your story of self, us and now",
        "Tell why you are called to act, what you share with others, and why it matters now.",
        [
            "Self: what challenge did you face, what did you choose, and what happened, that brings you here?",
            "Us: what values and experience do you share with the people you want to move?",
            "Now: what is the urgent challenge, what is the hopeful alternative, and what choice do we face today?",
        ],
        ["influence"],
        ["ganz"],
    ),
    _prompt(
        "circles",
        "Concern, influence and control",
        "Sort what worries you into what you control, what you can influence and what you can only be "
        "concerned about.",
        [
            "What about this problem can you control yourself?",
            "What can you influence, and through whom?",
            "What can you only be concerned about for now?",
        ],
        ["influence"],
        ["covey"],
    ),
    _prompt(
        "three-questions",
        "The three questions of the Model for Improvement",
        "Your aim, how you will know a change is an improvement, and which changes you could try.",
        [
            "What are we trying to accomplish?",
            "How will we know that a change is an improvement?",
            "What changes can we make that will result in improvement?",
        ],
        ["pdsa"],
        ["langley"],
        METHOD,
    ),
    _prompt(
        "sustainable-goals",
        "Setting sustainable goals",
        "Add environmental and social aims to your goal, and a culture of looking after resources.",
        [
            "What environmental aim sits alongside your outcome for patients?",
            "What social aim, for patients, staff, carers or the community?",
            "How will your team look after resources as part of everyday work?",
        ],
        ["pdsa", "ecology", "equality"],
        ["susqi-value", "susqi-templates"],
        SUSQI,
    ),
    _prompt(
        "choose-lenses",
        "Which lenses apply?",
        "Pick the lenses that will shape your goal and your measures.",
        [
            "Which two or three lenses matter most for this goal, and why?",
            "Which lens makes you most uncomfortable, and what might it show you?",
        ],
        ["influence"],
        ["proposal"],
        OWN,
    ),
    _prompt(
        "design-tags",
        "Tag each change idea",
        "For every change idea, note the principle it uses, its leverage point and its horizon.",
        [
            "Which of the four principles does this change idea use?",
            "Which leverage point does it act on?",
            "Is it a second-horizon move that carries the future forward, or one that props up the present?",
        ],
        ["systems", "ecology"],
        ["csh-principles", "meadows", "sharpe"],
    ),
    _prompt(
        "learning-loop",
        "What kind of learning was that?",
        "After each PDSA cycle, tag what you learned.",
        [
            "Did we do it better (single loop)?",
            "Did we change what we are aiming for, or the rules (double loop)?",
            "Did we change how we decide what matters (triple loop)?",
        ],
        ["org-learning", "pdsa"],
        ["argyris", "triple-loop"],
    ),
    _prompt(
        "grow",
        "GROW coaching questions",
        "Goal, reality, options and way forward: questions for a coach or a peer in a triad.",
        [
            "Goal: what do you want, and what would success look like?",
            "Reality: what is happening now, what have you tried, and what gets in the way?",
            "Options: what could you do, if nothing stood in the way?",
            "Way forward: what will you do, by when, with whom, and how committed are you?",
        ],
        ["peer-support"],
        ["grow"],
    ),
    _prompt(
        "progress-check",
        "Monthly progress check",
        "Each month, score where your project stands and note the evidence.",
        [
            "Which level of the progress scale describes your project now, and what is your evidence?",
            "What has moved in your influence: new allies, partnerships or decisions?",
        ],
        ["pdsa", "influence"],
        ["ihi-scale"],
        IHI,
    ),
    _prompt(
        "most-significant-change",
        "The most significant change",
        "Look back over the period and name the change that mattered most.",
        [
            "Looking back, what was the most significant change that came from this work?",
            "Why is it significant to you?",
        ],
        ["org-learning"],
        ["msc"],
        METHOD,
    ),
]


def _field(name, label, type_="textarea", **extra):
    return {"name": name, "label": label, "type": type_, **extra}


def _tool(name, title, summary, fields, pillars, sources, licence=OWN, body=""):
    return {
        "slug": f"tool.{name}",
        "kind": "tool",
        "title": title,
        "summary": summary,
        "body": body,
        "schema": {"fields": fields},
        "pillars": pillars,
        "sources": sources,
        "licence": licence,
    }


TOOLS = [
    _tool(
        "narrative-canvas",
        "Narrative canvas",
        "Draft your story of self, us and now on one page.",
        [_field("self", "Story of self"), _field("us", "Story of us"), _field("now", "Story of now")],
        ["influence"],
        ["ganz"],
        PARAPHRASE,
    ),
    _tool(
        "circles-map",
        "Circles map",
        "Three circles, control inside influence inside concern, filled in for your goal.",
        [
            _field("control", "In my control", "list"),
            _field("influence", "I can influence", "list"),
            _field("concern", "I am concerned about", "list"),
        ],
        ["influence"],
        ["covey"],
        PARAPHRASE,
    ),
    _tool(
        "goal-card",
        "Goal card",
        "Your system-change goal as an aim statement with its family of measures and the lenses it uses.",
        [
            _field("aim", "Aim statement: what, for whom, by how much, by when"),
            _field("outcome_measure", "Outcome measure", "text"),
            _field("process_measure", "Process measure", "text"),
            _field("balancing_measure", "Balancing measure", "text"),
            _field("sustainability_measure", "Sustainability measure (environmental or social)", "text"),
            _field("lenses", "Lenses that apply", "list"),
        ],
        ["pdsa"],
        ["langley", "susqi-templates"],
    ),
    _tool(
        "iceberg",
        "Iceberg worksheet",
        "Work down from the event to the patterns, structures and mental models beneath it.",
        [
            _field("events", "Events: what happened?"),
            _field("patterns", "Patterns: what keeps happening?"),
            _field(
                "structures", "Structures: which policies, processes, incentives or relationships produce it?"
            ),
            _field("mental_models", "Mental models: which beliefs hold those structures in place?"),
        ],
        ["systems"],
        ["iceberg"],
        PARAPHRASE,
    ),
    _tool(
        "value-process-map",
        "Value process map",
        "Map the pathway step by step with the environmental, social and financial resources each step uses, "
        "and mark the hotspots.",
        [
            _field("steps", "Steps of the pathway", "list"),
            _field(
                "resources",
                "Resources used at each step (travel, energy, consumables, medicines, waste, water)",
            ),
            _field("hotspots", "Waste and carbon hotspots"),
        ],
        ["ecology", "pdsa"],
        ["susqi-templates"],
        SUSQI,
    ),
    _tool(
        "sustainability-scans",
        "Sustainability scans",
        "Four quick scans: waste, resource use, social impact by group, and social determinants.",
        [
            _field("waste", "Scan for waste"),
            _field("resource_use", "Resources used"),
            _field("social_impact", "Social impact: positive and negative, by group"),
            _field("social_determinants", "Social determinants this touches"),
        ],
        ["ecology", "equality"],
        ["susqi-templates"],
        SUSQI,
    ),
    _tool(
        "stakeholder-map",
        "Stakeholder and influence map",
        "Place each person or group by power and interest, and decide how to engage them. Redo it as things change.",
        [
            _field("stakeholder", "Person or group", "text"),
            _field("power", "Power", "choice", choices=["high", "low"]),
            _field("interest", "Interest", "choice", choices=["high", "low"]),
            _field(
                "approach",
                "Approach",
                "choice",
                choices=["manage closely", "keep satisfied", "keep informed", "monitor"],
            ),
            _field("ally", "Ally, possible ally or opponent?", "text"),
        ],
        ["influence"],
        ["mendelow"],
        PARAPHRASE,
    ),
    _tool(
        "causal-loop-sketch",
        "Causal loop sketch",
        "Draw the variables, the links between them, and whether each loop reinforces or balances.",
        [
            _field("variables", "Variables", "list"),
            _field("links", "Links (A raises or lowers B)", "list"),
            _field("loops", "Loops: reinforcing or balancing, and any delays"),
        ],
        ["systems"],
        ["causal-loops", "senge"],
        PARAPHRASE,
    ),
    _tool(
        "leverage-points",
        "Leverage points",
        "Tag a change idea with the leverage point it acts on, from 12 (numbers) to 1 (beyond paradigms).",
        [
            _field("change_idea", "Change idea", "text"),
            _field("level", "Leverage point (12 to 1)", "number"),
            _field("why", "Why this level?"),
        ],
        ["systems"],
        ["meadows"],
        PARAPHRASE,
    ),
    _tool(
        "three-horizons-map",
        "Three Horizons map",
        "Place what you are letting go of, the future you want, and the moves between.",
        [
            _field("h1", "First horizon: practice to let go of"),
            _field("h3", "Third horizon: pockets of the future"),
            _field("h2", "Second horizon: moves that carry the future forward"),
        ],
        ["systems", "influence"],
        ["sharpe"],
        PARAPHRASE,
    ),
    _tool(
        "driver-diagram",
        "Driver diagram",
        "From the aim to primary and secondary drivers to change ideas, with each idea tagged by principle, "
        "leverage point and horizon.",
        [
            _field("aim", "Aim", "text"),
            _field("primary_drivers", "Primary drivers", "list"),
            _field("secondary_drivers", "Secondary drivers", "list"),
            _field("change_ideas", "Change ideas, each with its tags", "list"),
        ],
        ["pdsa", "systems"],
        ["langley", "susqi-templates"],
        METHOD,
    ),
    _tool(
        "pdsa-worksheet",
        "PDSA worksheet",
        "Plan, do, study, act for one cycle, with your prediction and a learning-loop tag.",
        [
            _field(
                "purpose",
                "Purpose of this cycle",
                "choice",
                choices=["collect information", "develop a change", "test a change", "implement a change"],
            ),
            _field("change", "The change being tested, and the questions it should answer"),
            _field("prediction", "What do you predict will happen?"),
            _field("plan", "Who, what, when, where, for how long"),
            _field("data_plan", "What data will you collect, and who will collect it?"),
            _field("do", "What happened? Problems and surprises"),
            _field("study", "How did the results compare with the prediction? What did you learn?"),
            _field("act", "Adopt, adapt or abandon", "choice", choices=["adopt", "adapt", "abandon"]),
            _field("next_cycle", "What is the next cycle?"),
            _field("learning_loop", "Kind of learning", "choice", choices=["single", "double", "triple"]),
        ],
        ["pdsa", "org-learning"],
        ["langley", "pdsa-worksheet"],
        METHOD,
    ),
    _tool(
        "run-chart",
        "Run chart",
        "Plot a measure over time against its median; signals use the Anhøj rules by default.",
        [
            _field("measure", "Measure", "text"),
            _field("operational_definition", "Operational definition"),
            _field("values", "Values over time", "list"),
        ],
        ["pdsa"],
        ["anhoj"],
        METHOD,
    ),
    _tool(
        "action-learning-set",
        "Action learning set",
        "A protocol for a small set: one presenter, the others ask questions, a set adviser keeps time, and "
        "everyone leaves with an action.",
        [
            _field("presenter_issue", "The presenter's real, current issue"),
            _field("questions", "Questions that helped", "list"),
            _field("actions", "Actions committed to", "list"),
        ],
        ["peer-support"],
        ["revans"],
        METHOD,
    ),
    _tool(
        "coaching-triad",
        "Coaching triad",
        "Three people rotate through coach, coachee and observer over three rounds; the coach asks and "
        "listens but does not solve.",
        [
            _field("round", "Round", "number"),
            _field("coachee_feedback", "Feedback from the coachee (first)"),
            _field("observer_feedback", "Feedback from the observer (second)"),
        ],
        ["peer-support"],
        ["triads", "grow"],
        METHOD,
    ),
    _tool(
        "sustainable-value-calculator",
        "Sustainable value calculator",
        "Activity times a versioned factor, before and after, annualised, with assumptions; shown beside "
        "outcomes, social and financial impacts, never as one score.",
        [
            _field("functional_unit", "Functional unit and boundary", "text"),
            _field("before", "Activity before the change", "list"),
            _field("after", "Activity after the change", "list"),
            _field("annual_volume", "Expected yearly volume", "number"),
            _field("assumptions", "Assumptions, factor year and source"),
        ],
        ["ecology", "pdsa"],
        ["susqi-impact", "desnz"],
        SUSQI,
    ),
    _tool(
        "impact-log",
        "Financial and social impact log",
        "Record money saved or spent and the social impacts, by group, as they happen.",
        [
            _field("financial", "Financial impact (with the assumptions)"),
            _field("social", "Social impacts, by group"),
        ],
        ["equality", "pdsa"],
        ["susqi-impact"],
        SUSQI,
    ),
    _tool(
        "change-achievement",
        "Change achievement record",
        "An outcome statement: what changed, for whom, when, why it matters, what you contributed, and the "
        "evidence.",
        [
            _field("what_changed", "What changed, for whom and when"),
            _field("significance", "Why it matters"),
            _field("contribution", "How the work contributed"),
            _field("evidence", "Evidence"),
            _field("substantiated", "Substantiated by someone independent?", "choice", choices=["yes", "no"]),
        ],
        ["org-learning", "influence"],
        ["outcome-harvesting"],
        METHOD,
    ),
    _tool(
        "msc-story",
        "Most significant change story",
        "A story in its domain, with the panel's reasons for choosing it.",
        [
            _field("domain", "Domain of change", "text"),
            _field("story", "The story"),
            _field("why_significant", "Why it is significant to the storyteller"),
            _field("panel_reasons", "The panel's reasons for selecting it"),
        ],
        ["org-learning"],
        ["msc"],
        METHOD,
    ),
    _tool(
        "impact-story",
        "Impact story builder",
        "Write up the work under SQUIRE headings as an impact story that keeps the narrative with the data.",
        [
            _field("why", "Why you started"),
            _field("what", "What you did"),
            _field("found", "What you found"),
            _field("means", "What it means"),
        ],
        ["org-learning", "influence"],
        ["squire", "impact-framework"],
        METHOD,
    ),
]


def _stage(order, name, title, summary, prompts, tools, pillars, sources):
    return {
        "slug": f"stage.{name}",
        "kind": "stage",
        "title": title,
        "summary": summary,
        "body": "",
        "schema": {"order": order, "prompts": prompts, "tools": tools},
        "pillars": pillars,
        "sources": sources,
        "licence": OWN,
    }


STAGES = [
    _stage(
        1,
        "orient",
        "Orient: why me, why now",
        "Find your own reason to act and see where your influence lies.",
        ["prompt.public-narrative", "prompt.circles"],
        ["tool.narrative-canvas", "tool.circles-map"],
        ["influence"],
        ["ganz", "covey"],
    ),
    _stage(
        2,
        "set-goal",
        "Set a system-change goal",
        "Write an aim that includes environmental and social outcomes, and choose the lenses that shape it.",
        ["prompt.three-questions", "prompt.sustainable-goals", "prompt.choose-lenses"],
        ["tool.goal-card"],
        ["pdsa"],
        ["langley", "susqi-templates"],
    ),
    _stage(
        3,
        "study-system",
        "Study the system",
        "Understand how things work now: the structures beneath the problem, the resources used and who holds "
        "power.",
        [],
        [
            "tool.iceberg",
            "tool.value-process-map",
            "tool.sustainability-scans",
            "tool.stakeholder-map",
            "tool.causal-loop-sketch",
        ],
        ["systems"],
        ["susqi-templates", "mendelow", "iceberg"],
    ),
    _stage(
        4,
        "design",
        "Design",
        "Turn what you learned into change ideas, each tagged with its principle, leverage point and horizon.",
        ["prompt.design-tags"],
        ["tool.driver-diagram", "tool.leverage-points", "tool.three-horizons-map"],
        ["systems", "ecology"],
        ["csh-principles", "meadows", "sharpe", "langley"],
    ),
    _stage(
        5,
        "test",
        "Test (PDSA)",
        "Test each change in small cycles, chart your measures, and tag what each cycle taught you.",
        ["prompt.learning-loop"],
        ["tool.pdsa-worksheet", "tool.run-chart"],
        ["pdsa", "org-learning"],
        ["langley", "anhoj"],
    ),
    _stage(
        6,
        "learn-together",
        "Learn together",
        "Think with peers in action learning sets and coaching triads between the workshops.",
        ["prompt.grow"],
        ["tool.action-learning-set", "tool.coaching-triad"],
        ["peer-support"],
        ["revans", "grow", "triads"],
    ),
    _stage(
        7,
        "measure-impact",
        "Measure impact",
        "Estimate the sustainable value of the change and score progress each month, including your influence.",
        ["prompt.progress-check"],
        ["tool.sustainable-value-calculator", "tool.impact-log"],
        ["pdsa", "ecology"],
        ["susqi-impact", "desnz", "ihi-scale"],
    ),
    _stage(
        8,
        "capture-share",
        "Capture and share",
        "Record what changed and why it matters, and share the stories so others can learn.",
        ["prompt.most-significant-change"],
        ["tool.change-achievement", "tool.msc-story", "tool.impact-story"],
        ["org-learning", "influence"],
        ["outcome-harvesting", "msc", "impact-framework", "squire"],
    ),
]

IHI_LEVELS = [
    (0.5, "Intending to take part", "The project has a name, but no charter or team yet."),
    (
        1.0,
        "Charter and team in place",
        "The charter is written and people have roles; the work has not started.",
    ),
    (1.5, "Getting organised", "Resources, focus, tools and a rhythm of meetings are being arranged."),
    (
        2.0,
        "Working, no changes yet",
        "Baseline data gathered and the process studied; changes planned but not tested.",
    ),
    (
        2.5,
        "Testing, no improvement yet",
        "Tests of change are running; measures are defined and charted with targets.",
    ),
    (
        3.0,
        "Some improvement",
        "Some tests have worked and a few changes are in use on a small scale: roughly a fifth of the results hoped for.",
    ),
    (
        3.5,
        "Improving",
        "Testing and putting changes in place continue; the measures are moving towards the goals.",
    ),
    (
        4.0,
        "Marked improvement",
        "Changes are in place for the whole target group; about half the goals or more are met and outcomes are "
        "improving and holding.",
    ),
    (4.5, "Improvement holding", "Data on the key measures begin to show that the changes are lasting."),
    (
        5.0,
        "Lasting, outstanding results",
        "Every goal is met and the organisation has changed how it works to keep the gains.",
    ),
]

INSTRUMENTS = [
    {
        "slug": "instrument.ihi-progress-scale",
        "kind": "instrument",
        "title": "Project progress scale (0.5 to 5.0)",
        "summary": "A monthly self-assessment of how far an improvement project has come, in ten half-steps.",
        "body": "The project team chooses the level that best describes the project each month. It is a "
        "self-assessment, not a validated measure: the evidence behind each score matters more than the number. "
        "For goals about influence or system change, read it beside the influence indicators.",
        "schema": {
            "items": [{"key": "progress", "text": "Which level best describes the project now?"}],
            "response_scale": {
                "levels": [{"value": v, "label": lab, "description": d} for v, lab, d in IHI_LEVELS]
            },
            "scoring": {"method": "level", "note": "One level a month; keep the evidence with each score."},
        },
        "pillars": ["pdsa"],
        "sources": ["ihi-scale", "lifeqi-scale"],
        "licence": IHI,
        "validated": False,
    },
    {
        "slug": "instrument.ons4",
        "kind": "instrument",
        "title": "ONS personal wellbeing (ONS4)",
        "summary": "Four questions on life satisfaction, worthwhileness, happiness and anxiety, each on a 0 to 10 "
        "scale and reported separately.",
        "body": "The default wellbeing measure. Each question is reported on its own: the four answers are never "
        "added up. The exact question wording must be taken from the ONS harmonised standard when a survey is "
        "built; it is not reproduced here until it has been checked against that source. ONS's reporting bands "
        "are left out until they are checked in the ONS user guide.",
        "schema": {
            "items": [
                {"key": "life_satisfaction", "theme": "Satisfaction with life nowadays"},
                {"key": "worthwhile", "theme": "Feeling that the things you do in life are worthwhile"},
                {"key": "happy_yesterday", "theme": "Happiness yesterday"},
                {"key": "anxious_yesterday", "theme": "Anxiety yesterday"},
            ],
            "response_scale": {"min": 0, "max": 10, "anchors": {"0": "not at all", "10": "completely"}},
            "scoring": {"method": "separate", "note": "Report each question separately; never sum them."},
            "wording": "Use the exact ONS wording from the harmonised standard.",
        },
        "pillars": ["resilience"],
        "sources": ["ons4"],
        "licence": ONS,
        "validated": True,
    },
    {
        "slug": "instrument.gse",
        "kind": "instrument",
        "title": "General Self-Efficacy Scale (GSE)",
        "summary": "Ten statements about coping with difficulty, each rated from 1 (not at all true) to 4 "
        "(exactly true), summed to a score from 10 to 40.",
        "body": "Our default measure of confidence until a validated improvement-confidence tool can be used with "
        "permission. The item wording is not reproduced here: take it from the authors' published English "
        "version when the survey is built, and record that check.",
        "schema": {
            "item_count": 10,
            "themes": [
                "Solving hard problems through effort",
                "Finding a way despite opposition",
                "Sticking to aims",
                "Handling unexpected events",
                "Staying calm by relying on coping skills",
                "Finding several solutions to a problem",
            ],
            "response_scale": {"min": 1, "max": 4, "anchors": {"1": "not at all true", "4": "exactly true"}},
            "scoring": {"method": "sum", "range": [10, 40]},
            "wording": "Use the authors' published wording.",
        },
        "pillars": ["influence"],
        "sources": ["gse"],
        "licence": GSE,
        "validated": True,
    },
    {
        "slug": "instrument.session-reaction",
        "kind": "instrument",
        "title": "Session reaction (our own, not validated)",
        "summary": "Two quick ratings after each workshop, plus a comment. Our own questions: not a validated "
        "instrument.",
        "body": "**Not validated.** Written by the programme team to hear how a session landed (Kirkpatrick level "
        "1). Use it to improve the workshops, not to make claims about outcomes.",
        "schema": {
            "items": [
                {"key": "relevant", "text": "How relevant was this session to your work?"},
                {"key": "useful", "text": "How useful was this session?"},
                {"key": "comment", "text": "What one thing would you change?", "free_text": True},
            ],
            "response_scale": {"min": 1, "max": 5, "anchors": {"1": "not at all", "5": "very"}},
            "scoring": {"method": "separate"},
        },
        "pillars": ["org-learning"],
        "sources": ["kirkpatrick"],
        "licence": OWN,
        "validated": False,
    },
    {
        "slug": "instrument.change-agency",
        "kind": "instrument",
        "title": "Change agency (our own, not validated)",
        "summary": "Four statements about acting as a change agent, rated from 1 (strongly disagree) to 5 "
        "(strongly agree). Our own items: not a validated instrument.",
        "body": "**Not validated.** No validated change-agency scale for health staff was found, so these items "
        "mirror the capabilities the School for Change Agents teaches. Report each item separately and read "
        "them beside the validated confidence measure.",
        "schema": {
            "items": [
                {"key": "alliances", "text": "I can build alliances with people who share my aim."},
                {
                    "key": "resistance",
                    "text": "I can respond constructively when people push back on a change.",
                },
                {
                    "key": "informal_influence",
                    "text": "I can move things forward through informal influence, not only my job title.",
                },
                {
                    "key": "framing",
                    "text": "I can explain why sustainability matters in terms my colleagues care about.",
                },
            ],
            "response_scale": {
                "min": 1,
                "max": 5,
                "anchors": {"1": "strongly disagree", "5": "strongly agree"},
            },
            "scoring": {"method": "separate"},
        },
        "pillars": ["influence"],
        "sources": ["horizons", "school-review"],
        "licence": OWN,
        "validated": False,
    },
    {
        "slug": "instrument.swemwbs",
        "kind": "instrument",
        "title": "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
        "summary": "Seven positively worded statements about the last two weeks, rated 1 to 5; the raw total is "
        "converted to a metric score. Needs a registered licence.",
        "body": "An optional wellbeing measure. **Each organisation must register for a licence** with the "
        "University of Warwick before using it; it stays switched off until a licence reference is recorded. "
        "The item wording is not reproduced here: it comes with the licence. Avoid hard-coded low or high "
        "cut-offs: how to categorise scores is debated.",
        "schema": {
            "items": [
                {"key": "optimistic", "theme": "Optimism about the future"},
                {"key": "useful", "theme": "Feeling useful"},
                {"key": "relaxed", "theme": "Feeling relaxed"},
                {"key": "problems", "theme": "Dealing with problems well"},
                {"key": "thinking", "theme": "Thinking clearly"},
                {"key": "close", "theme": "Feeling close to other people"},
                {"key": "own_mind", "theme": "Able to make up one's own mind"},
            ],
            "period": "the last two weeks",
            "response_scale": {
                "min": 1,
                "max": 5,
                "anchors": {
                    "1": "none of the time",
                    "2": "rarely",
                    "3": "some of the time",
                    "4": "often",
                    "5": "all of the time",
                },
            },
            "scoring": {
                "method": "sum",
                "range": [7, 35],
                "then": "convert the raw total with the conversion table",
            },
            "conversion_table": [
                {"raw": raw, "metric": metric}
                for raw, metric in [
                    (7, 7.00),
                    (8, 9.51),
                    (9, 11.25),
                    (10, 12.40),
                    (11, 13.33),
                    (12, 14.08),
                    (13, 14.75),
                    (14, 15.32),
                    (15, 15.84),
                    (16, 16.36),
                    (17, 16.88),
                    (18, 17.43),
                    (19, 17.98),
                    (20, 18.59),
                    (21, 19.25),
                    (22, 19.98),
                    (23, 20.73),
                    (24, 21.54),
                    (25, 22.35),
                    (26, 23.21),
                    (27, 24.11),
                    (28, 25.03),
                    (29, 26.02),
                    (30, 27.03),
                    (31, 28.13),
                    (32, 29.31),
                    (33, 30.70),
                    (34, 32.55),
                    (35, 35.00),
                ]
            ],
        },
        "pillars": ["resilience"],
        "sources": [
            "swemwbs",
            (
                "swemwbs-guidance",
                "Conversion table taken from the research notes: verify against Warwick's table.",
            ),
        ],
        "licence": SWEMWBS,
        "requires_licence": True,
        "validated": True,
    },
]


def _indicator(
    name, title, level, measure, summary, pillars, sources, instruments=(), frequency="", licence=OWN
):
    schema = {"level": level, "measure": measure, "instruments": list(instruments)}
    if frequency:
        schema["frequency"] = frequency
    return {
        "slug": f"indicator.{name}",
        "kind": "indicator",
        "title": title,
        "summary": summary,
        "body": "",
        "schema": schema,
        "pillars": pillars,
        "sources": sources,
        "licence": licence,
    }


INDICATORS = [
    _indicator(
        "session-reaction",
        "Session reaction",
        "participant",
        "Relevance and usefulness of each workshop, 1 to 5, with a comment",
        "How each session landed (Kirkpatrick level 1). Our own questions.",
        ["org-learning"],
        ["kirkpatrick"],
        ["instrument.session-reaction"],
        "after each workshop",
    ),
    _indicator(
        "improvement-confidence",
        "Improvement confidence",
        "participant",
        "Self-efficacy, baseline and follow-up",
        "The General Self-Efficacy Scale until the Richardson and Rees improvement-confidence tool can be used "
        "with permission.",
        ["pdsa", "influence"],
        ["gse", "richardson-rees"],
        ["instrument.gse"],
        "baseline and follow-up",
    ),
    _indicator(
        "change-agency",
        "Change agency",
        "participant",
        "Four non-validated change-agency items",
        "Building alliances, handling resistance, informal influence and framing sustainability. Not validated.",
        ["influence"],
        ["horizons", "school-review"],
        ["instrument.change-agency"],
        "baseline and follow-up",
    ),
    _indicator(
        "wellbeing",
        "Wellbeing",
        "participant",
        "ONS4, each question reported separately",
        "ONS4 by default. SWEMWBS is an option for organisations that hold its licence.",
        ["resilience"],
        ["ons4", "swemwbs"],
        ["instrument.ons4"],
        "baseline and follow-up",
    ),
    _indicator(
        "tool-use",
        "Use of the tools",
        "participant",
        "Tools used (self-reported and confirmed by the coach), PDSA "
        "cycles run and the mix of learning loops",
        "Whether people apply the model at work (Kirkpatrick level 3).",
        ["pdsa", "org-learning"],
        ["kirkpatrick"],
        (),
        "monthly",
    ),
    _indicator(
        "progress-score",
        "Project progress score",
        "project",
        "The 0.5 to 5.0 progress level, with evidence",
        "Where each project stands, scored monthly.",
        ["pdsa"],
        ["ihi-scale"],
        ["instrument.ihi-progress-scale"],
        "monthly",
        IHI,
    ),
    _indicator(
        "sustainable-value",
        "Sustainable value",
        "project",
        "kg CO2e a year (with a range), £ a year, patient and "
        "population outcome, balancing measures, social impacts by group and an equity flag",
        "The four parts of sustainable value, side by side and never combined.",
        ["ecology", "equality", "pdsa"],
        ["susqi-impact", "core20"],
        (),
        "at the end of each phase",
        SUSQI,
    ),
    _indicator(
        "lens-coverage",
        "Lens coverage",
        "project",
        "Principles used, leverage level, Doughnut lenses and horizons across change ideas",
        "Which parts of the model each project drew on.",
        ["systems", "ecology"],
        ["csh-principles", "meadows", "doughnut", "sharpe"],
    ),
    _indicator(
        "outcome-harvest",
        "Substantiated outcomes",
        "system",
        "Outcome statements by type of change: behaviour, "
        "relationship, practice, policy; with how many were substantiated",
        "Observable changes in what people and organisations do, that the work influenced.",
        ["influence"],
        ["outcome-harvesting"],
        (),
        "end of cohort",
        METHOD,
    ),
    _indicator(
        "partnerships",
        "Partnerships and people engaged",
        "system",
        "New cross-sector partnerships; people engaged or joining the work",
        "Signs of a growing movement, in the style of the RNAO progress measures.",
        ["influence"],
        ["rnao"],
        (),
        "monthly",
    ),
    _indicator(
        "msc-stories",
        "Most significant change stories",
        "system",
        "Stories selected per cohort, with the panel's reasons",
        "What participants and panels judged mattered most.",
        ["org-learning"],
        ["msc"],
        (),
        "end of cohort",
        METHOD,
    ),
    _indicator(
        "spread",
        "Spread",
        "system",
        "Other teams adopting a change",
        "Whether changes travel beyond the team that made them.",
        ["influence", "systems"],
        ["school-review"],
        (),
        "end of cohort",
    ),
    _indicator(
        "contribution",
        "Contribution narrative",
        "system",
        "A contribution story for each claimed system change",
        "How the programme plausibly contributed where attribution is impossible.",
        ["influence"],
        ["impact-framework"],
        (),
        "end of programme",
    ),
]

_VERIFY = (
    "Values read from a public mirror of the 2025 flat file: verify against the gov.uk 2025 publication."
)


def _row(key, activity, unit, value, scope, notes="", year=None):
    row = {"key": key, "activity": activity, "unit": unit, "kg_co2e": value, "scope": scope}
    if notes:
        row["notes"] = notes
    if year:
        row["year"] = year
    return row


FACTOR_SETS = [
    {
        "slug": "factors.uk-government-2025",
        "kind": "factor_set",
        "title": "UK Government GHG conversion factors, 2025 (starter rows)",
        "summary": "Emission factors for common activities in kg CO2e per unit, for the carbon calculator. "
        "Use the factors for the year the activity happened.",
        "body": "A starter selection from the UK Government's conversion factors for company reporting. Each row "
        "gives the unit, the GHG Protocol scope and the year. **Awaiting verification**: these values were "
        "read from a public mirror of the 2025 file and must be checked against the gov.uk publication before "
        "this set can be published.",
        "schema": {
            "year": 2025,
            "publisher": "Department for Energy Security and Net Zero",
            "rows": [
                _row("electricity-generation", "UK grid electricity (generation)", "kWh", 0.177, "2"),
                _row(
                    "electricity-td-losses",
                    "UK electricity transmission and distribution losses",
                    "kWh",
                    0.01853,
                    "3",
                    "Add to generation for the full electricity factor.",
                ),
                _row(
                    "electricity-wtt",
                    "UK electricity, well-to-tank (generation)",
                    "kWh",
                    0.0459,
                    "WTT",
                    "Optional upstream emissions.",
                ),
                _row(
                    "natural-gas",
                    "Natural gas",
                    "kWh (gross CV)",
                    0.18293,
                    "1",
                    "2023 value, stable year to year: replace with the 2025 value when verifying.",
                    2023,
                ),
                _row("car-average", "Average car, unknown fuel", "km", 0.16725, "3"),
                _row("car-petrol", "Average petrol car", "km", 0.16272, "3"),
                _row("car-diesel", "Average diesel car", "km", 0.17304, "3"),
                _row("car-hybrid", "Average hybrid car", "km", 0.12825, "3"),
                _row("car-plug-in-hybrid", "Average plug-in hybrid car", "km", 0.10461, "3"),
                _row("car-battery-electric", "Average battery electric car", "km", 0.04047, "3"),
                _row("taxi", "Regular taxi", "passenger-km", 0.14861, "3"),
                _row("bus", "Average local bus", "passenger-km", 0.10385, "3"),
                _row("coach", "Coach", "passenger-km", 0.02776, "3"),
                _row("rail", "National rail", "passenger-km", 0.03546, "3"),
                _row("tram", "Light rail and tram", "passenger-km", 0.0286, "3"),
                _row("underground", "London Underground", "passenger-km", 0.0278, "3"),
                _row(
                    "flight-domestic",
                    "Domestic flight, average passenger, with radiative forcing",
                    "passenger-km",
                    0.22928,
                    "3",
                ),
                _row("water-supply", "Water supply", "m³", 0.1913, "3"),
                _row("water-treatment", "Water treatment", "m³", 0.17088, "3"),
                _row("hotel-uk", "Hotel stay, UK", "room-night", 10.4, "3"),
                _row("hotel-london", "Hotel stay, London", "room-night", 11.5, "3"),
                _row("homeworking", "Homeworking (equipment and heating)", "FTE working hour", 0.33378, "3"),
                _row("paper", "Paper, primary production", "tonne", 1345.08, "3", "About 1.35 kg per kg."),
                _row(
                    "plastics",
                    "Average plastics, primary production",
                    "tonne",
                    3172.50,
                    "3",
                    "About 3.17 kg per kg.",
                ),
                _row(
                    "landfill",
                    "Commercial and industrial waste to landfill",
                    "tonne",
                    520.53,
                    "3",
                    "Recycling and energy-from-waste factors cover only transport to the site.",
                ),
            ],
        },
        "pillars": ["ecology"],
        "sources": [("desnz", _VERIFY)],
        "licence": OGL,
    },
    {
        "slug": "factors.health-specific",
        "kind": "factor_set",
        "title": "Health-specific factors: hospital waste streams and inhalers",
        "summary": "Process-based estimates for hospital waste streams and per-dose inhaler figures, kept apart "
        "from the government factors.",
        "body": "Hospital waste figures come from a study of one UK hospital's waste streams; inhaler figures "
        "from NICE's 2019 patient decision aid, as reported. Ranges are kept as ranges. **Awaiting "
        "verification** against the papers before this set can be published.",
        "schema": {
            "year": 2021,
            "rows": [
                _row(
                    "waste-recycled",
                    "Hospital waste, recycled",
                    "tonne",
                    {"low": 21, "high": 65},
                    "3",
                    year=2021,
                ),
                _row(
                    "waste-low-temperature-incineration",
                    "Hospital waste, low-temperature incineration with energy recovery (offensive or domestic)",
                    "tonne",
                    {"low": 172, "high": 249},
                    "3",
                    year=2021,
                ),
                _row(
                    "waste-autoclave",
                    "Hospital waste, autoclave then energy from waste (infectious)",
                    "tonne",
                    569,
                    "3",
                    year=2021,
                ),
                _row(
                    "waste-high-temperature-incineration",
                    "Hospital waste, high-temperature incineration (clinical)",
                    "tonne",
                    1074,
                    "3",
                    year=2021,
                ),
                _row(
                    "inhaler-metered-dose",
                    "Metered-dose inhaler",
                    "dose",
                    0.5,
                    "n/a",
                    "Approximate; about 25 times a dry-powder inhaler, varying by brand and propellant.",
                    2019,
                ),
                _row("inhaler-dry-powder", "Dry-powder inhaler", "dose", 0.02, "n/a", "Approximate.", 2019),
            ],
        },
        "pillars": ["ecology"],
        "sources": [
            ("rizan", "Verify the waste-stream figures against the paper."),
            ("nice-inhalers", "Verify the inhaler figures against the NICE decision aid."),
        ],
        "licence": CITED_FACTS,
    },
]

ITEMS = PILLARS + LENSES + PROMPTS + TOOLS + STAGES + INSTRUMENTS + INDICATORS + FACTOR_SETS

VERSION = {
    "number": 1,
    "name": "v1 pilot",
    "slug": "v1-pilot",
    "dated": "2021-06-01",
    "change_note": "The first version of the model, for the pilot cohort. It is derived from the 2020 Q Exchange "
    'proposal "Shifting mindsets, shifting practice" and built from the cited components: PDSA, organisational '
    "learning and peer support joined with the sustainable-development lenses of systems, resilience, equality "
    "and ecology, with influence and activism running through. It has not been validated as a whole.\n\n"
    "The carbon factor sets and SWEMWBS are not part of this version: their sources must be verified first.",
}
