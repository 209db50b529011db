"""Seed the seven knee-condition categories.

The text is written out here, not imported, so that later edits to the code (or to the rows,
which clinic managers may edit in the admin) never change what this migration did.
"""

from django.db import migrations

CATEGORIES = [
    {
        "code": "gait",
        "name": "Unusual gait",
        "display_order": 1,
        "patient_summary": (
            "The way you walk or run puts force through your knees. If you start to move "
            "differently, for example to protect a sore spot, or if you suddenly run more or "
            "change your shoes, your knees take more strain than they are used to. That extra "
            "strain can cause pain or keep it going."
        ),
        "clinician_notes": (
            "No diagnostic-accuracy data exist for finding a gait problem from a questionnaire, "
            "so the answers are pointers only. Gait is usually a contributing factor alongside "
            "another category rather than the whole picture. Lateral knee pain that starts at a "
            "predictable distance and is worse downhill suggests iliotibial band irritation, "
            "which sits here because gait retraining and load management address it."
        ),
        "typical_signs": (
            "Has changed how they walk or run to avoid pain. A change in training load, shoes or "
            "running surface in the weeks before the pain. Pain at the start of a run. Outer-knee "
            "pain that comes on at a repeatable distance and is worse downhill."
        ),
        "how_therapy_helps": (
            "Running gait analysis, cueing and movement retraining; strength and control work "
            "for the hip, knee and ankle; a graded return to running load; advice on footwear "
            "and running surfaces."
        ),
        "referral_guidance": (
            "Rarely needs a referral on its own. Refer to a physician if pain persists despite "
            "load management and retraining, or if examination points to another category or a "
            "red flag."
        ),
    },
    {
        "code": "patellofemoral",
        "name": "Runner's knee (patellofemoral pain)",
        "display_order": 2,
        "patient_summary": (
            "Runner's knee is an ache around or behind the kneecap. It often gets worse with "
            "squatting, stairs, running or jumping, and after sitting for a long time. It "
            "usually starts slowly, without an injury. It is common in active people, and it "
            "usually gets better with the right exercises and a sensible training plan."
        ),
        "clinician_notes": (
            "2016 international consensus (Crossley et al., BJSM): pain around or behind the "
            "patella aggravated by at least one activity that loads the patellofemoral joint in "
            "flexion (squatting, stairs, running, hopping or jumping). Supporting features: pain "
            "on prolonged sitting or rising from sitting, on descending stairs, crepitus, no "
            "injury, gradual onset; usually under 60 and about twice as common in women. "
            "Instability or a dislocation history points to anatomical differences instead."
        ),
        "typical_signs": (
            "Dull ache around or behind the kneecap. Worse with squatting, stairs (often going "
            "down), running and jumping. Pain after sitting for a long time. Grinding under the "
            "kneecap. Gradual onset without an injury."
        ),
        "how_therapy_helps": (
            "Education and load management; progressive hip and knee strengthening, which has "
            "the strongest evidence; flexibility work; short-term taping or foot orthoses where "
            "they help; a planned return to running."
        ),
        "referral_guidance": (
            "Imaging is not needed to diagnose it. Refer to a physician if the knee swells, "
            "locks, or does not improve after 6 to 12 weeks of good rehabilitation; to an "
            "orthopaedic surgeon if the kneecap becomes unstable."
        ),
    },
    {
        "code": "tendon_ligament",
        "name": "Damaged tendons or ligaments",
        "display_order": 3,
        "patient_summary": (
            "Tendons join muscle to bone, and ligaments hold the bones of the knee together. A "
            "sudden twist, an awkward landing or a hit to the knee can strain or tear them, and "
            "lots of jumping can make a tendon sore. A pop when it happened, fast swelling or "
            "quick bruising can mean a tear. Many of these injuries heal well with therapy; some "
            "need a doctor's check or an operation."
        ),
        "clinician_notes": (
            "Usually one knee. A pop with a pivoting mechanism has a positive likelihood ratio "
            "of about 9.8 for an ACL tear (Decary 2018); haemarthrosis within hours and rapid "
            "bruising add to it, and giving way afterwards is common. Collateral sprains follow "
            "a valgus or varus force, often a blow. Patellar tendinopathy (jumper's knee) hurts "
            "at the inferior pole, is load-dependent, is driven by jumping and seldom swells. "
            "Inability to straight-leg raise after injury suggests an extensor mechanism rupture."
        ),
        "typical_signs": (
            "A twist on a planted foot or a blow to the knee, with a pop, swelling within hours "
            "or rapid bruising, and giving way afterwards. Or pain just below the kneecap with "
            "jumping and loading, with little swelling."
        ),
        "how_therapy_helps": (
            "Early control of swelling and range of motion; progressive strengthening with "
            "balance and neuromuscular training; graded tendon loading for tendinopathy; "
            "rehabilitation before and after a ligament reconstruction; return-to-sport testing."
        ),
        "referral_guidance": (
            "Emergency department the same day if the patient cannot lift the straight leg after "
            "an injury. Acute knee clinic or sports physician within days for a suspected ACL "
            "tear or swelling within 2 hours of injury; an orthopaedic surgeon decides on "
            "reconstruction and usually arranges the MRI. An X-ray first when the Ottawa knee "
            "rules apply."
        ),
    },
    {
        "code": "cartilage",
        "name": "Damaged cartilage (including meniscus)",
        "display_order": 4,
        "patient_summary": (
            "Cartilage is the smooth padding inside the knee. The two menisci are rubbery, "
            "C-shaped pads between the thigh bone and the shin bone. A twist can tear them, and "
            "with age they can fray. You may feel pain on the inner or outer side of the knee, "
            "swelling that builds over some hours, or the knee catching or getting stuck."
        ),
        "clinician_notes": (
            "Acute tear: a twisting injury in a younger patient, joint-line pain, an effusion "
            "building over hours, catching or locking. Degenerative tear: over 45, gradual, "
            "localised joint-line pain, often alongside osteoarthritis. Mechanical symptoms alone "
            "do not predict a tear (Katz 2017) and history alone is not enough (Hegedus 2007): "
            "treat this category as a pointer to examine. A knee that cannot fully extend "
            "suggests a displaced (bucket-handle) tear."
        ),
        "typical_signs": (
            "Twisting injury. Pain on the inner or outer joint line. Swelling over several "
            "hours. Catching or locking; pain on twisting. Over 45: gradual, localised pain."
        ),
        "how_therapy_helps": (
            "Exercise therapy is the first treatment for degenerative meniscal tears and does as "
            "well as surgery for many people: strengthening, range of motion and activity "
            "adjustment. Rehabilitation after a meniscal repair or partial meniscectomy."
        ),
        "referral_guidance": (
            "Orthopaedic review within days for a knee locked so it cannot straighten: a "
            "displaced tear can only be repaired within about 6 to 8 weeks. Orthopaedic opinion "
            "and MRI if catching or locking persists, the knee does not settle with "
            "rehabilitation, or a young patient has an acute tear that might be repairable."
        ),
    },
    {
        "code": "bursitis",
        "name": "Bursitis",
        "display_order": 5,
        "patient_summary": (
            "Bursae are small cushions filled with fluid that help parts of the knee glide. When "
            "one is irritated, for example by a lot of kneeling, it can swell into a soft, sore "
            "lump that aches and may look red. Common spots are on the kneecap, just below it, "
            "and on the inner shin just below the knee. If the lump turns hot and red and you "
            "feel unwell, see a doctor quickly."
        ),
        "clinician_notes": (
            "A soft, tender, swollen lump in a fixed place: prepatellar (kneeling), "
            "infrapatellar, or pes anserine (medial proximal tibia a few centimetres below the "
            "joint line, often with osteoarthritis). Aches, stiff, worse with pressure and "
            "movement, sometimes red. A red, hot bursa may be infected, especially after a skin "
            "break: that is the red-flag path."
        ),
        "typical_signs": (
            "A soft, tender lump over or just below the kneecap, or on the inner shin below the "
            "knee. Pain on kneeling or pressure. Local swelling, sometimes redness."
        ),
        "how_therapy_helps": (
            "Relative rest, ice and protection from pressure (kneeling pads); gentle mobility; "
            "changing the load that irritates it; strengthening around the knee and hip, "
            "especially for pes anserine pain."
        ),
        "referral_guidance": (
            "Physician the same day if the bursa is hot or red or the patient feels unwell "
            "(possible septic bursitis, which may need aspiration and antibiotics). Physician "
            "review if the swelling lasts several weeks or keeps coming back."
        ),
    },
    {
        "code": "arthritis",
        "name": "Arthritis (osteoarthritis)",
        "display_order": 6,
        "patient_summary": (
            "Osteoarthritis is a common, long-lasting condition in which the cartilage in a "
            "joint slowly thins and changes. It causes pain with activity and stiffness after "
            "rest or first thing in the morning, often worse in cold weather. It is not a reason "
            "to stop moving: exercise is one of the best treatments for it."
        ),
        "clinician_notes": (
            "NICE NG226: diagnose clinically, without imaging, at 45 or over with activity-"
            "related pain and no morning stiffness or stiffness of 30 minutes or less. "
            "Supporting: gradual onset, long duration, stiffness after inactivity, worse in the "
            "cold or the morning, crepitus, an earlier diagnosis, previous injury or surgery. "
            "Against: a recent injury, prolonged morning stiffness (consider an inflammatory "
            "arthritis), a hot swollen joint."
        ),
        "typical_signs": (
            "Aged 45 or over. Pain with activity. Morning stiffness of 30 minutes or less; "
            "stiffness after sitting. Worse in cold weather. Grinding. Gradual and long-standing. "
            "Earlier knee injury or surgery."
        ),
        "how_therapy_helps": (
            "Therapeutic exercise (strengthening and aerobic), recommended by NICE for everyone "
            "with osteoarthritis; education and pacing; support with weight management; walking "
            "aids or bracing when useful; keeping people running or active within comfortable "
            "limits."
        ),
        "referral_guidance": (
            "Physician review for morning stiffness over 30 minutes or several swollen joints "
            "(possible inflammatory arthritis), urgently for a hot swollen joint, and when pain "
            "is not controlled. Imaging is not needed to diagnose osteoarthritis; orthopaedic "
            "referral when symptoms still limit daily life despite non-surgical care."
        ),
    },
    {
        "code": "anatomical",
        "name": "Anatomical differences",
        "display_order": 7,
        "patient_summary": (
            "Everyone's legs are built a little differently. Knees that angle in or out, or a "
            "kneecap that sits in a shallow groove, can put extra strain on the knee. Some people "
            "feel as if their kneecap might slip out, and some have had it pop out of place. "
            "Exercises and movement training help your knee work well with the body you have."
        ),
        "clinician_notes": (
            "Malalignment (genu valgum or varum), patellar instability and trochlear dysplasia. "
            "Recurrent patellar dislocation is linked to trochlear dysplasia and patella alta; "
            "dislocations are most common in the teens and twenties and in female athletes. "
            "Anterior knee pain here overlaps with patellofemoral pain: instability and a "
            "dislocation history separate them."
        ),
        "typical_signs": (
            "Knees that angle inward or outward. A kneecap that feels as if it might slip out. "
            "Previous kneecap dislocation, especially more than once. Giving way without a clear "
            "injury."
        ),
        "how_therapy_helps": (
            "Hip and quadriceps strengthening, neuromuscular and movement training, form "
            "guidance for running and landing, short-term bracing or taping, and rehabilitation "
            "before and after stabilising surgery."
        ),
        "referral_guidance": (
            "Acute knee clinic within days after a first traumatic kneecap dislocation, to look "
            "for a loose fragment of bone or cartilage (X-ray or MRI). Orthopaedic surgeon for "
            "recurrent dislocation or instability despite rehabilitation, where imaging can "
            "assess trochlear dysplasia and kneecap height."
        ),
    },
]


def seed(apps, schema_editor):
    ConditionCategory = apps.get_model("conditions", "ConditionCategory")
    ConditionCategory.objects.bulk_create(ConditionCategory(**row) for row in CATEGORIES)


def unseed(apps, schema_editor):
    ConditionCategory = apps.get_model("conditions", "ConditionCategory")
    ConditionCategory.objects.filter(code__in=[row["code"] for row in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("conditions", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
