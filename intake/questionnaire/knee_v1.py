"""The intake questionnaire `knee-v1`, declared once.

Every item of sections A (safety check) and B (about the knee pain) with its linkId, type,
options, enable condition, limits and patient wording, in the order patients see them. The
linkIds and option codes are a contract (`shared/design/questionnaire.md`); the wording may
be improved, the codes may not change.
"""

from __future__ import annotations

from intake.questionnaire.engine import (
    AskedIn,
    EnableWhen,
    Item,
    ItemType,
    Option,
    Questionnaire,
    Step,
    Text,
)

SAFETY = Step(
    "safety",
    "A",
    Text("Safety check", es="Revisión de seguridad"),
    Text(
        "First, a few questions to check whether you need to see a doctor before physical "
        "therapy. If you answer yes to any of them, we will tell you what to do right away.",
        es="Primero, unas preguntas para saber si necesita ver a un médico antes de la terapia "
        "física. Si contesta que sí a alguna, le diremos enseguida qué hacer.",
    ),
)
KNEE = Step(
    "knee",
    "B",
    Text("Your knee", es="Su rodilla"),
    Text(
        "Tell us where your knee hurts, how it started and how it feels now.",
        es="Díganos dónde le duele la rodilla, cómo empezó el dolor y cómo se siente ahora.",
    ),
)
ACTIVITY = Step(
    "activity",
    "B",
    Text("Activity and history", es="Actividad e historial"),
    Text(
        "Tell us what makes the pain worse and about your knee's past.",
        es="Díganos qué le empeora el dolor y qué problemas ha tenido antes en la rodilla.",
    ),
)

BOOLEAN = ItemType.BOOLEAN
CHOICE = ItemType.CHOICE
MULTI = ItemType.MULTI
INTEGER = ItemType.INTEGER
TEXT = ItemType.TEXT
_AFTER_INJURY = (EnableWhen("onset", "injury"),)
_RECENT_INJURY = (*_AFTER_INJURY, EnableWhen("duration", "under_1_week"))

KNEE_V1 = Questionnaire(
    version="knee-v1",
    steps=(SAFETY, KNEE, ACTIVITY),
    items=(
        # A. Safety check: each `true` raises the red flag of the same code in conditions.rules.
        Item(
            "rf_fever_hot_knee",
            BOOLEAN,
            SAFETY,
            Text(
                "Is your knee hot, red or swollen while you also have a fever or chills, or feel "
                "sick all over?",
                es="¿Tiene la rodilla caliente, roja o hinchada y, al mismo tiempo, tiene fiebre o "
                "escalofríos, o se siente mal de todo el cuerpo?",
            ),
        ),
        Item(
            "rf_hot_swollen_knee",
            BOOLEAN,
            SAFETY,
            Text(
                "Over the last few days, has your knee become hot and swollen without an injury?",
                es="En los últimos días, ¿se le ha puesto la rodilla caliente e hinchada sin "
                "haberse lastimado?",
            ),
        ),
        Item(
            "rf_cannot_bear_weight",
            BOOLEAN,
            SAFETY,
            Text(
                "Since an injury, are you unable to take four steps on that leg, even with a limp?",
                es="Desde que se lastimó, ¿le es imposible dar cuatro pasos apoyando esa pierna, "
                "aunque sea cojeando?",
            ),
        ),
        Item(
            "rf_deformity",
            BOOLEAN,
            SAFETY,
            Text(
                "Since an injury, does your knee or kneecap look out of place or a strange shape?",
                es="Desde que se lastimó, ¿la rodilla o la rótula se ven fuera de su lugar o con "
                "una forma extraña?",
            ),
        ),
        Item(
            "rf_cannot_lift_straight_leg",
            BOOLEAN,
            SAFETY,
            Text(
                "Since an injury, are you unable to lift your leg up straight while lying on your "
                "back?",
                es="Desde que se lastimó, ¿le es imposible levantar la pierna estirada cuando se "
                "acuesta boca arriba?",
            ),
        ),
        Item(
            "rf_numb_cold_foot",
            BOOLEAN,
            SAFETY,
            Text(
                "Is your foot or lower leg numb, cold, pale or blue?",
                es="¿Tiene el pie o la parte baja de la pierna adormecidos (sin sensación), fríos, "
                "pálidos o azulados?",
            ),
        ),
        Item(
            "rf_calf_swelling",
            BOOLEAN,
            SAFETY,
            Text(
                "Is your calf (the back of your lower leg) swollen, sore to touch, warm or red?",
                es="¿Tiene la pantorrilla (la parte de atrás de la pierna, debajo de la rodilla) "
                "hinchada, adolorida al tocarla, caliente o roja?",
            ),
        ),
        Item(
            "rf_locked",
            BOOLEAN,
            SAFETY,
            Text(
                "Is your knee stuck so that you cannot straighten it all the way?",
                es="¿Tiene la rodilla trabada, de modo que no puede estirarla por completo?",
            ),
        ),
        Item(
            "rf_night_pain_weight_loss",
            BOOLEAN,
            SAFETY,
            Text(
                "Do you have pain every night that painkillers do not help, or have you lost "
                "weight without trying?",
                es="¿Tiene dolor todas las noches que no mejora con medicinas para el dolor, o ha "
                "bajado de peso sin querer?",
            ),
        ),
        # B. Your knee.
        Item(
            "side",
            CHOICE,
            KNEE,
            Text("Which knee hurts?", es="¿Qué rodilla le duele?"),
            options=(
                Option("left", Text("Left knee", es="Rodilla izquierda")),
                Option("right", Text("Right knee", es="Rodilla derecha")),
                Option("both", Text("Both knees", es="Las dos rodillas")),
            ),
        ),
        Item(
            "pain_location",
            MULTI,
            KNEE,
            Text("Where does it hurt?", es="¿Dónde le duele?"),
            options=(
                Option(
                    "front",
                    Text(
                        "At the front, around or behind the kneecap",
                        es="Adelante, alrededor o detrás de la rótula",
                    ),
                ),
                Option(
                    "below_kneecap", Text("Just below the kneecap", es="Justo debajo de la rótula")
                ),
                Option(
                    "inner",
                    Text(
                        "On the inner side of the knee (the side nearest your other knee)",
                        es="En el lado de adentro de la rodilla (el lado más cerca de la otra "
                        "rodilla)",
                    ),
                ),
                Option(
                    "outer",
                    Text("On the outer side of the knee", es="En el lado de afuera de la rodilla"),
                ),
                Option("back", Text("Behind the knee", es="Detrás de la rodilla")),
                Option(
                    "inner_below",
                    Text(
                        "On the inner side of the shin, 1 to 2 inches below the knee",
                        es="En el lado de adentro de la espinilla, de 1 a 2 pulgadas debajo de la "
                        "rodilla",
                    ),
                ),
                Option("whole", Text("All over the knee", es="En toda la rodilla")),
            ),
            help_text=Text(
                "Choose every place that hurts.", es="Elija todos los lugares donde le duele."
            ),
        ),
        Item(
            "onset",
            CHOICE,
            KNEE,
            Text("How did the pain start?", es="¿Cómo empezó el dolor?"),
            options=(
                Option(
                    "injury",
                    Text(
                        "Suddenly, at a moment I remember or with an injury",
                        es="De repente, en un momento que recuerdo o con una lesión",
                    ),
                ),
                Option("gradual", Text("Slowly, over time", es="Poco a poco, con el tiempo")),
            ),
        ),
        Item(
            "duration",
            CHOICE,
            KNEE,
            Text(
                "How long have you had this pain?", es="¿Desde hace cuánto tiempo tiene este dolor?"
            ),
            options=(
                Option("under_1_week", Text("Less than 1 week", es="Menos de 1 semana")),
                Option("1_to_6_weeks", Text("1 to 6 weeks", es="De 1 a 6 semanas")),
                Option(
                    "6_weeks_to_3_months", Text("6 weeks to 3 months", es="De 6 semanas a 3 meses")
                ),
                Option("over_3_months", Text("More than 3 months", es="Más de 3 meses")),
            ),
        ),
        Item(
            "injury_mechanism",
            MULTI,
            KNEE,
            Text("How did you hurt your knee?", es="¿Cómo se lastimó la rodilla?"),
            options=(
                Option(
                    "twist_pivot",
                    Text(
                        "I twisted or turned while my foot stayed planted",
                        es="Giré o torcí el cuerpo con el pie fijo en el suelo",
                    ),
                ),
                Option(
                    "direct_blow", Text("Something hit my knee", es="Algo me golpeó la rodilla")
                ),
                Option("landing", Text("I landed from a jump", es="Al caer de un salto")),
                Option("fall", Text("I fell", es="Me caí")),
                Option("other", Text("Some other way", es="De otra manera")),
            ),
            enable_when=_AFTER_INJURY,
            help_text=Text("Choose all that fit.", es="Elija todas las que correspondan."),
        ),
        Item(
            "felt_pop",
            BOOLEAN,
            KNEE,
            Text(
                "When it happened, did you feel or hear a pop in your knee?",
                es="Cuando pasó, ¿sintió o escuchó un chasquido (un «pop») en la rodilla?",
            ),
            enable_when=_AFTER_INJURY,
        ),
        Item(
            "swelling_after_injury",
            CHOICE,
            KNEE,
            Text(
                "After the injury, when did your knee swell up?",
                es="Después de la lesión, ¿cuándo se le hinchó la rodilla?",
            ),
            options=(
                Option("within_2_hours", Text("Within 2 hours", es="En menos de 2 horas")),
                Option(
                    "later",
                    Text(
                        "Later, after 2 hours or the next day",
                        es="Más tarde, después de 2 horas o al día siguiente",
                    ),
                ),
                Option("none", Text("It did not swell", es="No se hinchó")),
            ),
            enable_when=_AFTER_INJURY,
        ),
        Item(
            "rapid_bruising",
            BOOLEAN,
            KNEE,
            Text(
                "Did a lot of bruising show up soon after the injury?",
                es="¿Le salieron muchos moretones poco después de la lesión?",
            ),
            enable_when=_AFTER_INJURY,
        ),
        Item(
            "can_bend_90",
            BOOLEAN,
            KNEE,
            Text(
                "Can you bend your knee to a right angle, as when you sit on a chair?",
                es="¿Puede doblar la rodilla en ángulo recto, como cuando se sienta en una silla?",
            ),
            enable_when=_RECENT_INJURY,
            help_text=Text(
                "Bend it gently and stop if it hurts a lot.",
                es="Dóblela con cuidado y pare si le duele mucho.",
            ),
        ),
        Item(
            "pain_now",
            INTEGER,
            KNEE,
            Text("How bad is the pain right now?", es="¿Qué tan fuerte es el dolor ahora mismo?"),
            min_value=0,
            max_value=10,
            help_text=Text(
                "0 means no pain at all and 10 means the worst pain you can imagine.",
                es="0 quiere decir nada de dolor y 10 quiere decir el peor dolor que se pueda "
                "imaginar.",
            ),
        ),
        Item(
            "pain_worst_week",
            INTEGER,
            KNEE,
            Text(
                "How bad was the pain at its worst in the last week?",
                es="En la última semana, ¿qué tan fuerte fue el dolor en su peor momento?",
            ),
            min_value=0,
            max_value=10,
            help_text=Text(
                "0 means no pain at all and 10 means the worst pain you can imagine.",
                es="0 quiere decir nada de dolor y 10 quiere decir el peor dolor que se pueda "
                "imaginar.",
            ),
        ),
        Item(
            "swelling",
            CHOICE,
            KNEE,
            Text("Does your knee swell up?", es="¿Se le hincha la rodilla?"),
            options=(
                Option("none", Text("No", es="No")),
                Option("sometimes", Text("Sometimes", es="A veces")),
                Option("often", Text("Often", es="Muchas veces")),
            ),
        ),
        Item(
            "tender_lump",
            BOOLEAN,
            KNEE,
            Text(
                "Is there a soft, sore, swollen lump on your kneecap, just below it, or on the "
                "inner side of your shin just below the knee?",
                es="¿Tiene un bulto blando, adolorido e hinchado sobre la rótula, justo debajo de "
                "ella, o en el lado de adentro de la espinilla, justo debajo de la rodilla?",
            ),
        ),
        Item(
            "mechanical",
            MULTI,
            KNEE,
            Text("Does your knee do any of these?", es="¿Su rodilla hace alguna de estas cosas?"),
            options=(
                Option(
                    "locking_catching",
                    Text(
                        "Catches or gets stuck for a moment",
                        es="Se atora o se traba por un momento",
                    ),
                ),
                Option(
                    "giving_way", Text("Gives way or buckles", es="Le falla o se dobla de repente")
                ),
                Option("grinding", Text("Grinds or crunches", es="Raspa o cruje")),
                Option("clicking", Text("Clicks", es="Hace clic")),
            ),
            required=False,
            help_text=Text(
                "Choose all that happen. Leave them all unchecked if none do.",
                es="Elija todas las que le pasen. Déjelas todas sin marcar si no le pasa ninguna.",
            ),
        ),
        Item(
            "kneecap_dislocation",
            CHOICE,
            KNEE,
            Text(
                "Has your kneecap ever slipped all the way out of place (dislocated)?",
                es="¿Alguna vez se le ha salido la rótula por completo de su lugar (se le "
                "dislocó)?",
            ),
            options=(
                Option("never", Text("Never", es="Nunca")),
                Option("once", Text("Once", es="Una vez")),
                Option("more_than_once", Text("More than once", es="Más de una vez")),
            ),
        ),
        Item(
            "kneecap_unstable",
            BOOLEAN,
            KNEE,
            Text(
                "Does your kneecap feel as if it might slip out of place?",
                es="¿Siente que la rótula se le podría salir de su lugar?",
            ),
        ),
        Item(
            "alignment",
            CHOICE,
            KNEE,
            Text(
                "When you stand up straight, how do your knees look?",
                es="Cuando se para derecho, ¿cómo se ven sus rodillas?",
            ),
            options=(
                Option(
                    "knock_knees",
                    Text(
                        "They point in toward each other (knock knees)",
                        es="Se juntan hacia adentro (rodillas en X)",
                    ),
                ),
                Option(
                    "bow_legs",
                    Text(
                        "They bend out, away from each other (bow legs)",
                        es="Se abren hacia afuera (piernas arqueadas o en O)",
                    ),
                ),
                Option("straight", Text("Straight", es="Derechas")),
                Option("not_sure", Text("I'm not sure", es="No lo sé")),
            ),
        ),
        # B. Activity and history.
        Item(
            "aggravators",
            MULTI,
            ACTIVITY,
            Text("What makes the pain worse?", es="¿Qué le empeora el dolor?"),
            options=(
                Option("running", Text("Running", es="Correr")),
                Option(
                    "downhill",
                    Text("Running or walking downhill", es="Correr o caminar cuesta abajo"),
                ),
                Option("stairs_up", Text("Going up stairs", es="Subir escaleras")),
                Option("stairs_down", Text("Going down stairs", es="Bajar escaleras")),
                Option("squatting", Text("Squatting", es="Ponerse en cuclillas")),
                Option("kneeling", Text("Kneeling", es="Arrodillarse")),
                Option(
                    "prolonged_sitting",
                    Text("Sitting for a long time", es="Estar sentado por mucho tiempo"),
                ),
                Option("jumping", Text("Jumping or hopping", es="Saltar o brincar")),
                Option("twisting", Text("Twisting or turning", es="Girar o torcer el cuerpo")),
                Option(
                    "start_of_activity",
                    Text(
                        "The start of a run or workout", es="Al empezar a correr o hacer ejercicio"
                    ),
                ),
                Option(
                    "after_activity",
                    Text("After a run or workout", es="Después de correr o hacer ejercicio"),
                ),
                Option("cold_weather", Text("Cold weather", es="El clima frío")),
            ),
            required=False,
            help_text=Text("Choose all that apply.", es="Elija todas las que correspondan."),
        ),
        Item(
            "morning_stiffness",
            CHOICE,
            ACTIVITY,
            Text(
                "Is your knee stiff when you get up in the morning?",
                es="¿Siente la rodilla tiesa cuando se levanta en la mañana?",
            ),
            options=(
                Option("none", Text("No", es="No")),
                Option(
                    "under_30_min",
                    Text("Yes, for 30 minutes or less", es="Sí, por 30 minutos o menos"),
                ),
                Option(
                    "over_30_min",
                    Text("Yes, for more than 30 minutes", es="Sí, por más de 30 minutos"),
                ),
            ),
        ),
        Item(
            "stiff_after_rest",
            BOOLEAN,
            ACTIVITY,
            Text(
                "Is your knee stiff after you sit still for a long time?",
                es="¿Siente la rodilla tiesa después de estar sentado sin moverse por mucho "
                "tiempo?",
            ),
        ),
        Item(
            "gait_changed",
            BOOLEAN,
            ACTIVITY,
            Text(
                "Have you changed the way you walk or run to avoid the pain?",
                es="¿Ha cambiado su forma de caminar o de correr para evitar el dolor?",
            ),
        ),
        Item(
            "training_change",
            BOOLEAN,
            ACTIVITY,
            Text(
                "In the 6 weeks before the pain started, did you run farther or faster, or change "
                "your shoes or where you run?",
                es="En las 6 semanas antes de que empezara el dolor, ¿corrió más lejos o más "
                "rápido, o cambió de zapatos o de lugar donde corre?",
            ),
        ),
        Item(
            "previous_injury",
            BOOLEAN,
            ACTIVITY,
            Text("Have you hurt this knee before?", es="¿Se ha lastimado esta rodilla antes?"),
        ),
        Item(
            "previous_surgery",
            BOOLEAN,
            ACTIVITY,
            Text(
                "Have you had surgery on this knee before?",
                es="¿Ha tenido una cirugía en esta rodilla antes?",
            ),
        ),
        Item(
            "diagnosed_arthritis",
            BOOLEAN,
            ACTIVITY,
            Text(
                "Has a doctor told you that this knee has arthritis?",
                es="¿Algún médico le ha dicho que tiene artritis en esta rodilla?",
            ),
        ),
        Item(
            "weekly_distance_km",
            INTEGER,
            ACTIVITY,
            Text(
                "About how far do you run in a normal week, in kilometers?",
                es="En una semana normal, ¿más o menos cuántos kilómetros corre?",
            ),
            required=False,
            min_value=0,
            max_value=300,
            help_text=Text(
                "1 mile is about 1.6 kilometers. Leave it blank if you are not sure.",
                es="1 milla es más o menos 1.6 kilómetros. Déjelo en blanco si no sabe.",
            ),
            # Stored in km (the contract); asked in miles where the clinic's DISTANCE_UNIT is mi.
            asked_in=(
                AskedIn(
                    "mi",
                    Text(
                        "About how many miles do you run in a normal week?",
                        es="En una semana normal, ¿más o menos cuántas millas corre?",
                    ),
                    Text("Leave it blank if you are not sure.", es="Déjelo en blanco si no sabe."),
                    max_value=186,  # 300 km
                    stored_per_unit=1.609344,
                ),
            ),
        ),
        Item(
            "goal",
            TEXT,
            ACTIVITY,
            Text(
                "What would you like to get back to doing?", es="¿Qué le gustaría volver a hacer?"
            ),
            required=False,
            max_length=1000,
            help_text=Text(
                "For example: running a 10K this spring, or playing soccer with my kids.",
                es="Por ejemplo: correr una carrera de 10 km esta primavera, o jugar fútbol con "
                "mis hijos.",
            ),
        ),
    ),
)
