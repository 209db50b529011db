"""Staff sign-in security: lockout after repeated failures (django-axes), a 15-minute idle
timeout, and TOTP two-factor sign-in (django-otp), required for therapists and clinic
managers when ``STAFF_2FA_REQUIRED`` is on (the default in production).

The flow: password on the admin sign-in page, then the 6-digit code from an authenticator
app on ``admin:signin_verify``. A staff member who must use two-factor and has no device yet is
sent to ``admin:signin_enrol`` first (QR code and secret, confirmed by a first code). Until then
``StaffTwoFactorMiddleware`` redirects every request of theirs to those pages.
"""
