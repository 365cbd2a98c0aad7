"""The demo plan's own words in Spanish, so the demo's Spanish public page reads in Spanish.

Keyed by the English the demo writes (dashboard.plan_demo); the large demo's generated theories
are translated from their parts.
"""

import re

from district_plan.models import Competency, FocusArea, Goal, Measure, Plan
from theories.models import Strand, TheoryOfAction

SPANISH = {
    # The plan
    "Strategic Plan 2025–2028": "Plan estratégico 2025–2028",
    "Every student leaves our schools ready for the college, career and community "
    "life they choose, known by name and supported by adults who keep learning.": (
        "Cada estudiante sale de nuestras escuelas preparado para la universidad, la carrera y "
        "la vida en comunidad que elija, conocido por su nombre y apoyado por adultos que "
        "siguen aprendiendo."
    ),
    # The learner profile
    "Curious reader": "Lector curioso",
    "Asks questions about what they read and hear.": "Hace preguntas sobre lo que lee y escucha.",
    "Kind collaborator": "Compañero amable",
    "Takes turns, listens and helps a classmate.": "Respeta turnos, escucha y ayuda a un compañero.",
    "Problem solver": "Solucionador de problemas",
    "Tries more than one way and explains which worked.": (
        "Prueba más de un camino y explica cuál funcionó."
    ),
    "Clear communicator": "Comunicador claro",
    "Shares an idea in writing and aloud with evidence.": (
        "Comparte una idea por escrito y en voz alta, con evidencia."
    ),
    "Self-directed learner": "Aprendiz autónomo",
    "Sets a goal, tracks it and asks for help early.": (
        "Se fija una meta, le da seguimiento y pide ayuda a tiempo."
    ),
    "Ready for what comes next": "Preparado para lo que sigue",
    "Leaves with a credential, an admission or a plan.": (
        "Sale con una certificación, una admisión o un plan."
    ),
    "Engaged citizen": "Ciudadano comprometido",
    "Takes part in the life of the school and the town.": (
        "Participa en la vida de la escuela y del pueblo."
    ),
    # Goals and their indicators
    "Every student reads on grade level by the end of grade 3": (
        "Cada estudiante lee al nivel de su grado al terminar el 3.er grado"
    ),
    "Early literacy is the first promise the district makes to families.": (
        "La lectura temprana es la primera promesa del distrito a las familias."
    ),
    "Grade 3 students meeting the reading standard": (
        "Estudiantes de 3.er grado que alcanzan el estándar de lectura"
    ),
    "Chronic absence falls below 10% on every campus": (
        "El ausentismo crónico baja del 10 % en cada escuela"
    ),
    "Students learn when they are in school, and they come when they belong.": (
        "Los estudiantes aprenden cuando están en la escuela, y vienen cuando se sienten parte "
        "de ella."
    ),
    "Students chronically absent": "Estudiantes con ausentismo crónico",
    "Every graduate leaves with a credential, an admission or an enlistment plan": (
        "Cada graduado sale con una certificación, una admisión o un plan de alistamiento"
    ),
    "A diploma plus a concrete next step for every senior.": (
        "Un diploma y un siguiente paso concreto para cada estudiante del último año."
    ),
    "Graduates with a credential or a plan": "Graduados con una certificación o un plan",
    "Teachers stay and grow with the district": "Los maestros se quedan y crecen con el distrito",
    "Keeping strong teachers is cheaper and better for students than replacing them.": (
        "Conservar a los buenos maestros cuesta menos y es mejor para los estudiantes que "
        "reemplazarlos."
    ),
    "Teachers returning the next school year": "Maestros que regresan el siguiente año escolar",
    # Focus areas
    "Instruction and literacy": "Enseñanza y lectoescritura",
    "Strong, coherent core instruction in every classroom.": (
        "Enseñanza básica sólida y coherente en cada salón."
    ),
    "Fewer students need intervention later.": "Menos estudiantes necesitan intervención después.",
    "Attendance and belonging": "Asistencia y pertenencia",
    "Every student known by name by an adult on campus.": (
        "Cada estudiante es conocido por su nombre por un adulto de la escuela."
    ),
    "Higher attendance and fewer discipline referrals.": (
        "Más asistencia y menos reportes disciplinarios."
    ),
    "College and career pathways": "Trayectorias universitarias y profesionales",
    "Every high school student in a pathway with a mentor.": (
        "Cada estudiante de preparatoria en una trayectoria, con un mentor."
    ),
    "More graduates with a credential or plan.": "Más graduados con una certificación o un plan.",
    "Talent": "Talento",
    "Grow and keep great teachers and leaders.": (
        "Formar y conservar a excelentes maestros y líderes."
    ),
    "Lower turnover, stronger campus leadership.": (
        "Menos rotación y un liderazgo escolar más sólido."
    ),
    # Strands
    "General": "General",
    "Continuous improvement and data": "Mejora continua y datos",
    "Expectations": "Expectativas",
    "Motivation": "Motivación",
    "Parents and community": "Familias y comunidad",
    # Theories of action
    "we build one calendar of professional learning from the district vision": (
        "construimos un solo calendario de formación profesional a partir de la visión del distrito"
    ),
    "teachers will hear the same priorities in every session and on every campus": (
        "los maestros escucharán las mismas prioridades en cada sesión y en cada escuela"
    ),
    "students meet consistent expectations from class to class": (
        "los estudiantes encuentran las mismas expectativas de una clase a otra"
    ),
    "department leaders plan their campus visits together with principals": (
        "los líderes de departamento planean sus visitas a las escuelas junto con los directores"
    ),
    "support arriving at a campus will be coordinated rather than duplicated": (
        "el apoyo que llega a una escuela estará coordinado en lugar de duplicado"
    ),
    "grade-level teams review reading data every three weeks with a coach": (
        "los equipos de grado revisan los datos de lectura cada tres semanas con un asesor"
    ),
    "small-group instruction will change within days of each check": (
        "la enseñanza en grupos pequeños cambiará a los pocos días de cada revisión"
    ),
    "more students read on grade level by grade 3": (
        "más estudiantes leen al nivel de su grado en 3.er grado"
    ),
    "every campus uses one attendance dashboard updated daily": (
        "cada escuela usa un mismo tablero de asistencia actualizado a diario"
    ),
    "staff will call families on the first day of an absence": (
        "el personal llamará a las familias el primer día de una ausencia"
    ),
    "fewer students become chronically absent": "menos estudiantes llegan al ausentismo crónico",
    "every classroom uses the same look-fors for student discourse": (
        "cada salón usa los mismos aspectos a observar para la conversación de los estudiantes"
    ),
    "visitors will see students explaining their thinking in most classrooms": (
        "los visitantes verán a los estudiantes explicar su razonamiento en la mayoría de los "
        "salones"
    ),
    "students choose a pathway course by grade 9 with an adult mentor": (
        "los estudiantes eligen un curso de trayectoria en 9.º grado con un mentor adulto"
    ),
    "they will attend more of their classes and know why each one matters": (
        "asistirán a más clases y sabrán por qué importa cada una"
    ),
    "more graduates leave with a credential or a plan": (
        "más graduados salen con una certificación o un plan"
    ),
    "family nights are held in the languages families speak at home": (
        "las noches familiares se hacen en los idiomas que las familias hablan en casa"
    ),
    "more families will attend and ask for ways to support reading at home": (
        "más familias asistirán y pedirán maneras de apoyar la lectura en casa"
    ),
    "community partners offer mentoring on campus": (
        "los aliados de la comunidad ofrecen mentoría en la escuela"
    ),
    "more students will have an adult outside school who checks on their attendance": (
        "más estudiantes tendrán un adulto fuera de la escuela que esté pendiente de su asistencia"
    ),
    "Teams adjusting groups within five days of a check": (
        "Equipos que ajustan los grupos a los cinco días de una revisión"
    ),
    "Absences followed by a same-day call": "Ausencias seguidas de una llamada el mismo día",
}

# The parts of the large demo's generated theories (dashboard.plan_demo._generated_theories).
VERBS = {
    "coach": "acompañan",
    "model": "modelan",
    "schedule": "programan",
    "protect": "protegen",
    "publish": "publican",
    "review": "revisan",
    "align": "alinean",
    "share": "comparten",
}
THINGS = {
    "planning time": "el tiempo de planeación",
    "walkthrough feedback": "la retroalimentación de los recorridos",
    "reading data": "los datos de lectura",
    "family outreach": "el acercamiento a las familias",
    "intervention blocks": "los bloques de intervención",
    "lesson study": "el estudio de lecciones",
    "attendance calls": "las llamadas de asistencia",
    "mentoring hours": "las horas de mentoría",
}
GENERATED = [
    (
        re.compile(r"campus teams (\w+) (.+) \(practice (\d+)\)"),
        lambda verb, thing, n: (
            f"los equipos escolares {VERBS[verb]} {THINGS[thing]} (práctica {n})"
        ),
    ),
    (
        re.compile(r"visitors will see (.+) used in most classrooms \(practice (\d+)\)"),
        lambda thing, n: (
            f"los visitantes verán {THINGS[thing]} en la mayoría de los salones (práctica {n})"
        ),
    ),
    (
        re.compile(r"Classrooms showing (.+) \((\d+)\)"),
        lambda thing, n: f"Salones donde se ve {THINGS[thing]} ({n})",
    ),
]


def in_spanish(text):
    """The demo's Spanish for an English text, or "" when it has none."""
    if not text:
        return ""
    if text in SPANISH:
        return SPANISH[text]
    for pattern, spanish in GENERATED:
        if found := pattern.fullmatch(text):
            return spanish(*found.groups())
    return ""


def _translate(queryset, fields):
    rows = list(queryset)
    for row in rows:
        for field in fields:
            setattr(row, f"{field}_es", in_spanish(getattr(row, field)))
    queryset.model.objects.bulk_update(rows, [f"{f}_es" for f in fields], batch_size=500)


def translate_demo_plan(*, plan):
    """Writes the Spanish beside every text of the demo plan and the district's theories."""
    district = plan.district_id
    _translate(Plan.objects.filter(pk=plan.pk), ["title", "vision"])
    _translate(Competency.objects.filter(plan=plan), ["name", "description"])
    _translate(Goal.objects.filter(plan=plan), ["title", "description"])
    _translate(Measure.objects.filter(district=district), ["name"])
    _translate(FocusArea.objects.filter(plan=plan), ["name", "objective", "anticipated_benefit"])
    _translate(Strand.objects.filter(district=district), ["name"])
    _translate(
        TheoryOfAction.objects.filter(district=district), ["if_clause", "then_clause", "so_that"]
    )
