# Coordinator profiles and activity logs arrive with the coordinators issue.
