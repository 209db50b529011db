"""The patient wording of the knee-condition taxonomy as it was seeded (conditions' migration
0002), marked for translation: the home page shows each category's name and summary in the
patient's language while the text is still the seeded one. A manager who edits a text in the
admin writes it in English, and patients then read it as written until its translation is
added here and to the catalogue."""

from django.utils.translation import gettext_noop

SEEDED_WORDING = (
    gettext_noop("Unusual gait"),
    gettext_noop(
        "The way you walk or run puts force through your knees. If you start to move "
        "differently, for example to protect a sore spot, or if you suddenly run more or "
        "change your shoes, your knees take more strain than they are used to. That extra "
        "strain can cause pain or keep it going."
    ),
    gettext_noop("Runner's knee (patellofemoral pain)"),
    gettext_noop(
        "Runner's knee is an ache around or behind the kneecap. It often gets worse with "
        "squatting, stairs, running or jumping, and after sitting for a long time. It "
        "usually starts slowly, without an injury. It is common in active people, and it "
        "usually gets better with the right exercises and a sensible training plan."
    ),
    gettext_noop("Damaged tendons or ligaments"),
    gettext_noop(
        "Tendons join muscle to bone, and ligaments hold the bones of the knee together. A "
        "sudden twist, an awkward landing or a hit to the knee can strain or tear them, and "
        "lots of jumping can make a tendon sore. A pop when it happened, fast swelling or "
        "quick bruising can mean a tear. Many of these injuries heal well with therapy; some "
        "need a doctor's check or an operation."
    ),
    gettext_noop("Damaged cartilage (including meniscus)"),
    gettext_noop(
        "Cartilage is the smooth padding inside the knee. The two menisci are rubbery, "
        "C-shaped pads between the thigh bone and the shin bone. A twist can tear them, and "
        "with age they can fray. You may feel pain on the inner or outer side of the knee, "
        "swelling that builds over some hours, or the knee catching or getting stuck."
    ),
    gettext_noop("Bursitis"),
    gettext_noop(
        "Bursae are small cushions filled with fluid that help parts of the knee glide. When "
        "one is irritated, for example by a lot of kneeling, it can swell into a soft, sore "
        "lump that aches and may look red. Common spots are on the kneecap, just below it, "
        "and on the inner shin just below the knee. If the lump turns hot and red and you "
        "feel unwell, see a doctor quickly."
    ),
    gettext_noop("Arthritis (osteoarthritis)"),
    gettext_noop(
        "Osteoarthritis is a common, long-lasting condition in which the cartilage in a joint "
        "slowly thins and changes. It causes pain with activity and stiffness after rest or "
        "first thing in the morning, often worse in cold weather. It is not a reason to stop "
        "moving: exercise is one of the best treatments for it."
    ),
    gettext_noop("Anatomical differences"),
    gettext_noop(
        "Everyone's legs are built a little differently. Knees that angle in or out, or a "
        "kneecap that sits in a shallow groove, can put extra strain on the knee. Some people "
        "feel as if their kneecap might slip out, and some have had it pop out of place. "
        "Exercises and movement training help your knee work well with the body you have."
    ),
)
