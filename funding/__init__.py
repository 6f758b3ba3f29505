"""Money paid for support: claims for delivered days and their payments, national support schools'
bursaries and national leaders of governance's grants, and quality assurance of what was paid."""
