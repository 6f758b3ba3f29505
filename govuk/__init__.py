"""GOV.UK Design System components for Django forms, shared by every app (a bottom layer)."""
