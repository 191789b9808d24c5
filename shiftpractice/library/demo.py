"""The demo's library: ten training materials across the journey stages, written for people new to improvement
work, tagged and published through the services (so they are audited and searchable like any other); one of
them an uploaded PDF drawn with WeasyPrint. Loading twice changes nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile

from . import services
from .choices import ItemKind
from .models import LibraryItem

ATTRIBUTION = "The Shifting mindsets pilot team"

PAGES = [
    {
        "title": "Plan-Do-Study-Act: testing a change on a small scale",
        "summary": "What a PDSA cycle is, how small it should be, and how to write one up so others can learn "
        "from it.",
        "stages": ["stage.test"],
        "lenses": ["systems"],
        "topics": "pdsa, testing changes",
        "workshop": 1,
        "body": """## Why test small
A change that works in one clinic on a Tuesday may fail on a busy Monday. Testing on a small scale first lets
you learn cheaply, without asking everyone to change at once.

## The four steps
- **Plan**: say what you will try, who will do it, when, and what you predict will happen. Write the prediction
  down: it is what you learn against.
- **Do**: carry out the test. Note what actually happened, including surprises.
- **Study**: compare what happened with what you predicted. What did you learn?
- **Act**: decide to adopt, adapt or abandon the change, and plan the next cycle.

## How small is small
Smaller than you think: one patient, one afternoon, one member of staff. Grow the scale as your confidence
grows: a few more patients, another day, another team.

## Writing it up
Record each cycle as you go, not at the end. A good record says what you predicted, what you saw and what you
decided. Failed tests are worth as much as successful ones: they stop someone else repeating them.
""",
    },
    {
        "title": "Run charts: seeing change over time",
        "summary": "How to draw a run chart, find its median, and use four simple rules to tell a real change from "
        "everyday variation.",
        "stages": ["stage.measure-impact", "stage.test"],
        "lenses": ["systems"],
        "topics": "run charts, measurement",
        "workshop": 1,
        "body": """## What a run chart is
A run chart plots one measure over time, in order, with a line at the median. It needs no statistics software:
a pencil and squared paper will do.

## Drawing one
1. Put time (weeks, days, months) along the bottom and your measure up the side.
2. Plot each value in order and join the points.
3. Draw a horizontal line at the median of your baseline values.
4. Mark when each change was tested, so you can see what happened after it.

## Reading it
Every measure wobbles. The rules below tell you when the wobble is more than chance:
- **Shift**: six or more points in a row all above, or all below, the median.
- **Trend**: five or more points in a row all going up, or all going down.
- **Too few runs**: the line crosses the median less often than chance would expect.
- **Astronomical point**: one value obviously different from all the others.

Aim for at least ten points before you draw firm conclusions, and never judge a change from two numbers.
""",
    },
    {
        "title": "Statistical process control charts in plain words",
        "summary": "When to move from a run chart to an SPC chart, what the control limits mean, and how to avoid "
        "reacting to noise.",
        "stages": ["stage.measure-impact"],
        "lenses": ["systems", "resilience"],
        "topics": "spc, measurement, making data count",
        "workshop": 2,
        "body": """## From run chart to SPC chart
A statistical process control (SPC) chart is a run chart with two more lines: the upper and lower process
limits. They show how far the measure usually strays from its average when nothing special is going on.

## Two kinds of variation
- **Common cause** variation is the everyday noise of a stable system. Reacting to each rise and fall wastes
  effort and can make things worse.
- **Special cause** variation is a signal that something has changed: a point outside the limits, a long run
  on one side of the mean, or a run of points near a limit.

## Using it well
- Use about twenty points to set the limits. Fewer can mislead.
- When you make a change that works, start a new phase so the limits reflect the new system.
- Ask "is this a signal or noise?" before asking "why did it go up?"
- The platform draws these charts for you and says in words what they show.
""",
    },
    {
        "title": "Influence maps: who can help your change happen",
        "summary": "A way to map the people around your change by how much they care and how much they can "
        "affect it, so you spend your energy where it counts.",
        "stages": ["stage.orient", "stage.study-system"],
        "lenses": ["equality", "systems"],
        "topics": "influence, stakeholders, activism",
        "body": """## Why map influence
Changes at work rarely fail for lack of a good idea. They fail because the people whose support was needed were
never asked, or were asked too late.

## Making the map
1. List everyone your change touches: patients, colleagues, managers, other teams, suppliers.
2. For each, ask two questions: how much does this matter to them, and how much can they help or block it?
3. Place them on a simple grid with those two questions as the sides.
4. Circle the few people who can most help you, and the few who could most easily stop you.

## Using it
- Talk early to those with high influence: ask for their view before you ask for their support.
- Look for allies with less formal power but strong networks; they often carry a change further.
- Keep the map private. It is a thinking tool, not a judgement of anyone, and the platform never publishes it.
""",
    },
    {
        "title": "Driver diagrams: from aim to change ideas",
        "summary": "How to link your aim to the things that drive it and to the changes you could test, so each "
        "PDSA cycle has a clear reason.",
        "stages": ["stage.set-goal", "stage.design"],
        "lenses": ["systems"],
        "topics": "driver diagrams, aims",
        "workshop": 1,
        "body": """## The parts
- **Aim**: what you want to improve, for whom, by how much and by when.
- **Primary drivers**: the few big things that must be true to reach the aim.
- **Secondary drivers**: the more specific factors behind each primary driver.
- **Change ideas**: practical things you could test that act on a secondary driver.

## Building one
Start from the aim and ask "what would have to happen for this to be achieved?" Each answer is a driver.
Keep asking until the answers are things you could try next week: those are your change ideas.

## Keep it alive
A driver diagram is a theory, and your tests will prove parts of it wrong. Update it as you learn: cross out
ideas that failed, add drivers you had missed, and note which tests backed which link.
""",
    },
    {
        "title": "The four lenses: systems, resilience, equality and ecology",
        "summary": "Four questions to ask of any change so that it lasts, is fair, and does not cost the earth.",
        "stages": ["stage.orient", "stage.study-system"],
        "lenses": ["systems", "resilience", "equality", "ecology"],
        "topics": "lenses, sustainability",
        "body": """## Why lenses
Quality improvement usually asks whether a change is safe, effective and efficient. The four lenses add
questions about whether it will last and whom it affects, within the system and beyond it.

## The questions
- **Systems**: where does this change sit in the wider system? What else will it affect, upstream and
  downstream?
- **Resilience**: will it survive a busy winter, a staff change or a supply problem? What would make it more
  robust?
- **Equality**: who benefits and who might be left out? Does it narrow or widen differences between groups?
- **Ecology**: what does it do to the natural world: travel, waste, energy, medicines, materials?

## Using them
You do not need to answer every question at once. Pick the lens that matters most for your change, and come
back to the others as your project grows.
""",
    },
    {
        "title": "Sustainable value: counting the carbon, social and financial return",
        "summary": "How to describe what a change is worth in three currencies: money, people and the environment.",
        "stages": ["stage.measure-impact", "stage.capture-share"],
        "lenses": ["ecology", "equality"],
        "topics": "sustainable value, carbon, finance",
        "workshop": 2,
        "body": """## Three kinds of value
- **Financial**: money saved or spent, staff time freed, costs avoided.
- **Social**: effects on patients, carers and staff: access, experience, wellbeing.
- **Environmental**: carbon emissions avoided or added, waste, water, pollution.

## Estimating carbon
Multiply each activity that changed (miles driven, inhalers prescribed, items thrown away) by its emission
factor. Use the factors the model version gives, and say which ones you used so others can check.

## Be honest about uncertainty
Give ranges rather than single numbers when you are unsure, and say what you did not count. A modest,
well-explained estimate persuades more people than a large, unexplained one.
""",
    },
    {
        "title": "Peer support: learning together between workshops",
        "summary": "How small groups of participants can keep each other going: what to talk about, how often, "
        "and how to give useful challenge.",
        "stages": ["stage.learn-together"],
        "lenses": ["resilience"],
        "topics": "peer support, action learning",
        "workshop": 2,
        "body": """## Why peers matter
Changing things at work can be lonely. A small group of people doing the same thing in other places offers
encouragement, fresh ideas and honest questions.

## A simple pattern
- Meet for an hour every two or three weeks, online is fine.
- Each person takes ten minutes: what I tried, what happened, where I am stuck.
- The others ask questions before they offer advice. Good questions help more than answers.
- End with each person naming one thing they will try before the next meeting.

## Ground rules
What is said in the group stays in the group. Be kind about people and rigorous about ideas.
""",
    },
    {
        "title": "Coaching conversations for improvement",
        "summary": "How a coach helps a participant think rather than telling them what to do, with questions "
        "for each stage of a project.",
        "stages": ["stage.learn-together", "stage.design"],
        "lenses": ["resilience", "equality"],
        "topics": "coaching",
        "body": """## The coach's role
A coach helps a participant see their own situation more clearly and choose their next step. The participant
owns the project; the coach owns the quality of the conversation.

## A conversation in four parts
1. **Goal**: what do you want from this conversation?
2. **Reality**: what is happening now? What have your charts and tests shown?
3. **Options**: what could you do? What else?
4. **Will**: what will you do, by when, and how will you know it worked?

## Useful questions
- What did you predict, and what surprised you?
- Who else needs to know about this?
- What is the smallest test you could run this week?
- What would make this change last after you move on?
""",
    },
]

WORKSHOP_GUIDE = {
    "title": "Running a workshop: a facilitator's guide with two agendas",
    "summary": "How to run the programme's two online workshops, with a timed agenda for each, as a PDF to print "
    "or share.",
    "stages": ["stage.learn-together", "stage.orient"],
    "lenses": ["systems", "resilience", "equality", "ecology"],
    "topics": "facilitation, workshops, agenda",
    "workshop": 1,
}
WORKSHOP_GUIDE_HTML = """<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Running a workshop</title>
<style>body{font-family:sans-serif;font-size:11pt;line-height:1.4} h1{font-size:20pt} h2{font-size:14pt;margin-top:1.2em}
table{border-collapse:collapse;width:100%} td,th{border:1px solid #999;padding:4px 6px;text-align:left}</style></head>
<body>
<h1>Running a workshop: a facilitator's guide</h1>
<p>The programme brings each cohort together for two half-day online workshops. These notes are for the people
who facilitate them.</p>
<h2>Before the workshop</h2>
<ul><li>Send the joining link and the agenda a week ahead.</li>
<li>Check that every participant can open the platform and their project.</li>
<li>Agree who will keep time, who will watch the chat and who will host breakout rooms.</li></ul>
<h2>Workshop 1: setting out (three hours)</h2>
<table><tr><th>Time</th><th>What happens</th></tr>
<tr><td>0:00</td><td>Welcome, introductions: why I am here, what I want to change</td></tr>
<tr><td>0:20</td><td>The model and the four lenses</td></tr>
<tr><td>0:50</td><td>Aims and driver diagrams: each participant drafts theirs</td></tr>
<tr><td>1:30</td><td>Break</td></tr>
<tr><td>1:45</td><td>Plan-Do-Study-Act and run charts: planning a first small test</td></tr>
<tr><td>2:30</td><td>Influence maps in pairs</td></tr>
<tr><td>2:50</td><td>Next steps, coaching arrangements, close</td></tr></table>
<h2>Workshop 2: learning and sharing (three hours)</h2>
<table><tr><th>Time</th><th>What happens</th></tr>
<tr><td>0:00</td><td>Welcome back: one thing I learnt since we last met</td></tr>
<tr><td>0:15</td><td>Peer groups: progress, surprises and sticking points</td></tr>
<tr><td>1:00</td><td>Reading the data: SPC charts and signals</td></tr>
<tr><td>1:40</td><td>Break</td></tr>
<tr><td>1:55</td><td>Sustainable value: carbon, social and financial return</td></tr>
<tr><td>2:30</td><td>Telling the story: preparing a case study</td></tr>
<tr><td>2:50</td><td>What next, evaluation survey, close</td></tr></table>
<h2>Tips</h2>
<ul><li>Keep presentations short: people learn most by working on their own project.</li>
<li>Use breakout rooms of three or four, with a clear task and a time limit.</li>
<li>Leave space for quiet people: ask for written answers in the chat before discussion.</li></ul>
</body></html>"""


def workshop_guide_pdf() -> bytes:
    from weasyprint import HTML  # imported here: only the demo draws a PDF at load time

    return HTML(string=WORKSHOP_GUIDE_HTML).write_pdf()


def _have(programme, title: str) -> bool:
    return LibraryItem.objects.filter(programme=programme, title=title).exists()


def load_demo_library(*, programme, lead, version) -> int:
    """Create and publish the demo's materials that are missing; returns how many were created."""
    created = 0
    common = {"attribution": ATTRIBUTION, "licence": "cc-by-4.0", "model_version": version, "setting": "any"}
    for page in PAGES:
        if _have(programme, page["title"]):
            continue
        item = services.item_create(
            programme=programme, kind=ItemKind.PAGE, data={**common, **page}, actor=lead
        )
        services.item_publish(item=item, actor=lead)
        created += 1
    if not _have(programme, WORKSHOP_GUIDE["title"]):
        upload = SimpleUploadedFile(
            "running-a-workshop.pdf", workshop_guide_pdf(), content_type="application/pdf"
        )
        item = services.item_create(
            programme=programme,
            kind=ItemKind.FILE,
            data={**common, **WORKSHOP_GUIDE},
            upload=upload,
            actor=lead,
        )
        services.item_publish(item=item, actor=lead)
        created += 1
    return created
