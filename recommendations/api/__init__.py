"""The recommendations API: views, serializers, filter sets, permissions, URLs."""
