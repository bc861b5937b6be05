// Checks files against the OWL 2 DL profile with OWLAPI (Debian libowlapi-java).
// Usage: java -cp CLASSPATH DLProfileCheck FILE
// FILE holds the ontology, its import module and the instance data merged into one document:
// the RDF parser needs the declarations in the same document to type each property.
// Prints one line per violation and "in profile" when there is none; exits 1 on violations.
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class DLProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        // Imports are merged in by the caller; never try to fetch them over the network.
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(new File(args[0])), config);
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        int n = 0;
        for (OWLProfileViolation v : report.getViolations()) {
            System.out.println("VIOLATION: " + v.toString().replace('\n', ' '));
            n++;
        }
        if (n == 0) {
            System.out.println("in profile");
        }
        System.exit(n == 0 ? 0 : 1);
    }
}
