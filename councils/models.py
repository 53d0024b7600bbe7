# Councils (協議体), meetings and regional issues arrive with the councils issue.
